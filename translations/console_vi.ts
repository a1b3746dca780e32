<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>App</name>
    <message>
        <source>Configuration error</source>
        <translation>Lỗi cấu hình</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>CameraTree</name>
    <message>
        <source>Sites and cameras</source>
        <translation>Điểm và camera</translation>
    </message>
    <message>
        <source>{name} ({count} cameras)</source>
        <translation>{name} ({count} camera)</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>Chưa kết nối</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Camera security monitoring — {commune}</source>
        <translation>Giám sát camera an ninh — {commune}</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Live view: drag a camera from the list onto the screen</source>
        <translation>Xem trực tiếp: kéo camera từ danh sách vào màn hình</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>&amp;Hệ thống</translation>
    </message>
    <message>
        <source>E&amp;xit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>T&amp;rợ giúp</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Giới thiệu</translation>
    </message>
    <message>
        <source>{sites} sites, {cameras} cameras</source>
        <translation>{sites} điểm, {cameras} camera</translation>
    </message>
    <message>
        <source>Demo mode (simulated cameras)</source>
        <translation>Chế độ mô phỏng (camera giả lập)</translation>
    </message>
    <message>
        <source>Camera positions are approximate</source>
        <translation>Vị trí camera là gần đúng</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Giới thiệu</translation>
    </message>
    <message>
        <source>Camera security monitoring software
Version {version}
Commune police of {commune}</source>
        <translation>Phần mềm giám sát camera an ninh
Phiên bản {version}
Công an {commune}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
</TS>
