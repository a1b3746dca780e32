<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>About</name>
    <message>
        <source>Built {date} (UTC+7)</source>
        <translation>Đóng gói lúc {date} (UTC+7)</translation>
    </message>
    <message>
        <source>Running from source code</source>
        <translation>Đang chạy từ mã nguồn</translation>
    </message>
    <message>
        <source>Station key fingerprint (evidence signatures): {fp}</source>
        <translation>Dấu vân tay khóa của trạm (chữ ký chứng cứ): {fp}</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>không rõ</translation>
    </message>
    <message>
        <source>Components: Qt {qt}, PyAV {pyav} (libavcodec {avcodec}), libVLC {vlc}</source>
        <translation>Thành phần: Qt {qt}, PyAV {pyav} (libavcodec {avcodec}), libVLC {vlc}</translation>
    </message>
    <message>
        <source>Camera security monitoring software</source>
        <translation>Phần mềm giám sát camera an ninh</translation>
    </message>
    <message>
        <source>Version {version}</source>
        <translation>Phiên bản {version}</translation>
    </message>
    <message>
        <source>Commit {commit}</source>
        <translation>Mã bản dựng (commit) {commit}</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>không tìm thấy</translation>
    </message>
    <message>
        <source>Data folder: {path}</source>
        <translation>Thư mục dữ liệu: {path}</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Giới thiệu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>AcknowledgeDialog</name>
    <message>
        <source>Acknowledge alert</source>
        <translation>Xác nhận cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Reading the recording…</source>
        <translation>Đang đọc dữ liệu ghi hình…</translation>
    </message>
    <message>
        <source>Alert picture</source>
        <translation>Ảnh cảnh báo</translation>
    </message>
    <message>
        <source>Recording around the alert</source>
        <translation>Ghi hình quanh thời điểm cảnh báo</translation>
    </message>
    <message>
        <source>Live now</source>
        <translation>Trực tiếp lúc này</translation>
    </message>
    <message>
        <source>No picture was kept with this alert.</source>
        <translation>Cảnh báo này không có ảnh lưu kèm.</translation>
    </message>
    <message>
        <source>This camera is not recorded.</source>
        <translation>Camera này không được ghi hình.</translation>
    </message>
    <message>
        <source>No recording of this moment.</source>
        <translation>Không có ghi hình tại thời điểm này.</translation>
    </message>
    <message>
        <source>No live picture of this camera on the wall.</source>
        <translation>Camera này không có hình trực tiếp trên màn hình.</translation>
    </message>
</context>
<context>
    <name>AddCameraWizard</name>
    <message>
        <source>Add cameras</source>
        <translation>Thêm camera</translation>
    </message>
    <message>
        <source>&lt; Back</source>
        <translation>&lt; Quay lại</translation>
    </message>
    <message>
        <source>Next &gt;</source>
        <translation>Tiếp &gt;</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>AddMapDialog</name>
    <message>
        <source>Add a map</source>
        <translation>Thêm bản đồ</translation>
    </message>
    <message>
        <source>Choose an MBTiles map pack, a GeoJSON file or a scanned map picture. It is copied into the console&apos;s data folder and named in the site file.</source>
        <translation>Chọn gói bản đồ MBTiles, tệp GeoJSON hoặc ảnh quét bản đồ. Tệp được sao chép vào thư mục dữ liệu của phần mềm và ghi vào tệp cấu hình.</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Choose a site, then click where it is on the picture. Two sites place a map drawn with north up; three or more also correct a slightly turned scan.</source>
        <translation>Chọn một điểm rồi bấm vào vị trí của điểm đó trên ảnh. Hai điểm đặt được bản đồ vẽ hướng bắc lên trên; từ ba điểm trở lên còn chỉnh được ảnh quét bị xoay nhẹ.</translation>
    </message>
    <message>
        <source>Remove this site&apos;s point</source>
        <translation>Bỏ vị trí đã bấm của điểm này</translation>
    </message>
    <message>
        <source>Add to the map</source>
        <translation>Thêm vào bản đồ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Choose a map file</source>
        <translation>Chọn tệp bản đồ</translation>
    </message>
    <message>
        <source>Maps (*.mbtiles *.geojson *.json *.png *.jpg *.jpeg *.bmp *.tif *.tiff)</source>
        <translation>Bản đồ (*.mbtiles *.geojson *.json *.png *.jpg *.jpeg *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>Đang kiểm tra tệp…</translation>
    </message>
    <message>
        <source>The file {file} is not a usable MBTiles map pack.</source>
        <translation>Tệp {file} không phải gói bản đồ MBTiles dùng được.</translation>
    </message>
    <message>
        <source>Map pack with zoom levels {low} to {high}.</source>
        <translation>Gói bản đồ có các mức thu phóng từ {low} đến {high}.</translation>
    </message>
    <message>
        <source>The file {file} cannot be used as a vector map:</source>
        <translation>Không dùng được tệp {file} làm sơ đồ vector:</translation>
    </message>
    <message>
        <source>The file {file} holds nothing to draw.</source>
        <translation>Tệp {file} không có gì để vẽ.</translation>
    </message>
    <message>
        <source>{count} roads, areas and places to draw.</source>
        <translation>Có {count} đường, vùng và địa điểm để vẽ.</translation>
    </message>
    <message>
        <source>The file {file} is not a picture this console can read.</source>
        <translation>Tệp {file} không phải tệp ảnh mà phần mềm đọc được.</translation>
    </message>
    <message>
        <source>Picture of {width} × {height} pixels.</source>
        <translation>Ảnh {width} × {height} điểm ảnh.</translation>
    </message>
    <message>
        <source>The file {file} is not a map this console can use: choose an MBTiles pack, a GeoJSON file or a picture.</source>
        <translation>Tệp {file} không phải bản đồ mà phần mềm dùng được: hãy chọn gói MBTiles, tệp GeoJSON hoặc tệp ảnh.</translation>
    </message>
    <message>
        <source>{count} sites placed; the largest difference at a clicked site is {metres} m.</source>
        <translation>Đã đặt {count} điểm; sai lệch lớn nhất tại một điểm đã bấm là {metres} m.</translation>
    </message>
    <message>
        <source>{count} of at least 2 sites placed.</source>
        <translation>Đã đặt {count} trong tối thiểu 2 điểm.</translation>
    </message>
    <message>
        <source>These points only fit a picture turned upside down: check that each point is at its own site.</source>
        <translation>Các vị trí này chỉ khớp với ảnh bị lật ngược: hãy kiểm tra mỗi vị trí đã bấm đúng điểm của nó.</translation>
    </message>
    <message>
        <source>The points are at one place: click sites far apart on the picture.</source>
        <translation>Các vị trí trùng nhau: hãy bấm các điểm cách xa nhau trên ảnh.</translation>
    </message>
    <message>
        <source>Copying the map into the data folder…</source>
        <translation>Đang sao chép bản đồ vào thư mục dữ liệu…</translation>
    </message>
    <message>
        <source>The map could not be copied into {folder}: {reason}</source>
        <translation>Không sao chép được bản đồ vào {folder}: {reason}</translation>
    </message>
    <message>
        <source>The site file {file} was not changed:</source>
        <translation>Tệp cấu hình {file} không được thay đổi:</translation>
    </message>
    <message>
        <source>Add a map… (administrator)</source>
        <translation>Thêm bản đồ… (quản trị viên)</translation>
    </message>
    <message>
        <source>The site file cannot be changed here (demo or read-only)</source>
        <translation>Không sửa được tệp cấu hình ở đây (chế độ mô phỏng hoặc tệp chỉ đọc)</translation>
    </message>
</context>
<context>
    <name>AddUserForm</name>
    <message>
        <source>Add user</source>
        <translation>Thêm người dùng</translation>
    </message>
    <message>
        <source>At least {count} characters</source>
        <translation>Ít nhất {count} ký tự</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>AlertCenter</name>
    <message>
        <source>Alerts</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Alerts nobody has acknowledged yet; the window title shows the same count.</source>
        <translation>Số cảnh báo chưa được xác nhận; tiêu đề cửa sổ cũng hiển thị số này.</translation>
    </message>
    <message>
        <source>Record incident</source>
        <translation>Ghi nhận vụ việc</translation>
    </message>
    <message>
        <source>Silence the bell for this shift (8 h)</source>
        <translation>Tắt chuông báo động trong ca trực (8 giờ)</translation>
    </message>
    <message>
        <source>Alerts ({count} new)</source>
        <translation>Cảnh báo ({count} mới)</translation>
    </message>
    <message>
        <source>{count} new alerts</source>
        <translation>{count} cảnh báo mới</translation>
    </message>
    <message>
        <source>[{count} new alerts]</source>
        <translation>[{count} cảnh báo mới]</translation>
    </message>
    <message>
        <source>{count} new alerts — newest: {camera}</source>
        <translation>{count} cảnh báo mới — mới nhất: {camera}</translation>
    </message>
    <message>
        <source>Bell silenced until {time}</source>
        <translation>Chuông báo động đã tắt đến {time}</translation>
    </message>
    <message>
        <source>The alarm bell was silenced at {start} until {end}.</source>
        <translation>Chuông báo động bị tắt lúc {start}, đến {end}.</translation>
    </message>
    <message>
        <source>The alarm bell is on; it was silenced from {start} to {end}.</source>
        <translation>Chuông báo động đang bật; đã tắt từ {start} đến {end}.</translation>
    </message>
    <message>
        <source>The alarm bell is on.</source>
        <translation>Chuông báo động đang bật.</translation>
    </message>
    <message>
        <source>The alarm bell cannot sound on this computer; alerts still blink and are counted. The details are in the log.</source>
        <translation>Máy tính này không phát được chuông báo động; cảnh báo vẫn nhấp nháy và được đếm. Chi tiết xem trong tệp nhật ký.</translation>
    </message>
</context>
<context>
    <name>AlertDetailsPane</name>
    <message>
        <source>Choose an alert in the list to see it here.</source>
        <translation>Chọn một cảnh báo trong danh sách để xem ở đây.</translation>
    </message>
    <message>
        <source>This alert is no longer in the province&apos;s store.</source>
        <translation>Cảnh báo này không còn trong kho dữ liệu của tỉnh.</translation>
    </message>
    <message>
        <source>No snapshot received</source>
        <translation>Chưa nhận được ảnh chụp</translation>
    </message>
    <message>
        <source>The snapshot has not arrived yet</source>
        <translation>Ảnh chụp chưa về</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Started (UTC+7)</source>
        <translation>Bắt đầu (UTC+7)</translation>
    </message>
    <message>
        <source>Ended (UTC+7)</source>
        <translation>Kết thúc (UTC+7)</translation>
    </message>
    <message>
        <source>Acknowledged by {officer} at {time}</source>
        <translation>{officer} đã xác nhận lúc {time}</translation>
    </message>
    <message>
        <source>Closed by {officer} at {time}</source>
        <translation>{officer} đã đóng lúc {time}</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>AlertFilterBar</name>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Toàn bộ thời gian</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>Từ … đến …</translation>
    </message>
    <message>
        <source>All communes</source>
        <translation>Tất cả các xã</translation>
    </message>
    <message>
        <source>All alerts</source>
        <translation>Tất cả cảnh báo</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Tất cả trạng thái</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>Tất cả mức độ</translation>
    </message>
    <message>
        <source>Search in notes</source>
        <translation>Tìm trong ghi chú</translation>
    </message>
</context>
<context>
    <name>AlertIncidents</name>
    <message>
        <source>Alert no. {number}, its recording and its picture are added to the incident chosen.</source>
        <translation>Cảnh báo số {number}, đoạn ghi hình và ảnh của cảnh báo sẽ được thêm vào vụ việc được chọn.</translation>
    </message>
    <message>
        <source>Alert no. {alert} added to incident no. {number}</source>
        <translation>Đã thêm cảnh báo số {alert} vào vụ việc số {number}</translation>
    </message>
</context>
<context>
    <name>AlertPanel</name>
    <message>
        <source>Write your name</source>
        <translation>Ghi họ tên của bạn</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <source>Close alert</source>
        <translation>Đóng cảnh báo</translation>
    </message>
    <message>
        <source>Acknowledge ended connection alerts</source>
        <translation>Xác nhận các cảnh báo kết nối đã kết thúc</translation>
    </message>
    <message>
        <source>Every new camera, site or network alert that has already ended, with one note</source>
        <translation>Mọi cảnh báo mới về camera, điểm hoặc đường truyền đã kết thúc, với một ghi chú chung</translation>
    </message>
    <message>
        <source>Record incident (F9)</source>
        <translation>Ghi nhận vụ việc (F9)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>Shift handover report (PDF)</source>
        <translation>Báo cáo giao ca (PDF)</translation>
    </message>
    <message>
        <source>Read plate…</source>
        <translation>Đọc biển số…</translation>
    </message>
    <message>
        <source>Read a plate on the alert&apos;s picture and keep it with the alert</source>
        <translation>Đọc biển số trên ảnh của cảnh báo và lưu kèm cảnh báo</translation>
    </message>
    <message>
        <source>Duty officer</source>
        <translation>Cán bộ trực ban</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>1 giờ qua</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>Toàn bộ</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>Từ … đến …</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tất cả điểm</translation>
    </message>
    <message>
        <source>All alerts</source>
        <translation>Tất cả cảnh báo</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>All priorities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <source>Search in notes</source>
        <translation>Tìm kiếm trong ghi chú</translation>
    </message>
    <message>
        <source>Plate, e.g. 29A12345</source>
        <translation>Biển số, ví dụ: 29A12345</translation>
    </message>
    <message>
        <source>Alerts with a plate read on their picture (part of it is enough)</source>
        <translation>Các cảnh báo có biển số đã đọc trên ảnh (gõ một phần biển số là đủ)</translation>
    </message>
    <message>
        <source>Bookmark the recording… (Ctrl+B)</source>
        <translation>Đánh dấu ghi hình… (Ctrl+B)</translation>
    </message>
    <message>
        <source>Open an incident from the alert</source>
        <translation>Tạo vụ việc từ cảnh báo</translation>
    </message>
    <message>
        <source>Add to an incident…</source>
        <translation>Thêm vào vụ việc…</translation>
    </message>
    <message>
        <source>The picture of alert no. {number} could not be read.</source>
        <translation>Không đọc được ảnh của cảnh báo số {number}.</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… và {count} cảnh báo khác</translation>
    </message>
    <message>
        <source>{count} alerts, one note for all:</source>
        <translation>{count} cảnh báo, một ghi chú chung:</translation>
    </message>
    <message>
        <source>No ended connection alert is waiting.</source>
        <translation>Không có cảnh báo kết nối đã kết thúc nào đang chờ xác nhận.</translation>
    </message>
    <message>
        <source>{count} camera, site or network alerts that have already ended.</source>
        <translation>{count} cảnh báo về camera, điểm hoặc đường truyền đã kết thúc.</translation>
    </message>
    <message>
        <source>Write the duty officer&apos;s name first.</source>
        <translation>Hãy ghi họ tên cán bộ trực ban trước.</translation>
    </message>
    <message>
        <source>A note is required to acknowledge an alert.</source>
        <translation>Cần nhập ghi chú để xác nhận cảnh báo.</translation>
    </message>
    <message>
        <source>This alert was already handled by someone else.</source>
        <translation>Cảnh báo này đã được người khác xử lý.</translation>
    </message>
    <message>
        <source>Alert not changed</source>
        <translation>Cảnh báo không thay đổi</translation>
    </message>
    <message>
        <source>{count} of these alerts were already handled by someone else.</source>
        <translation>{count} cảnh báo trong số này đã được người khác xử lý.</translation>
    </message>
    <message>
        <source>Manual incident</source>
        <translation>Vụ việc thủ công</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>{count} alerts exported to {path}</source>
        <translation>Đã xuất {count} cảnh báo vào {path}</translation>
    </message>
    <message>
        <source>Export cancelled; no file was left behind.</source>
        <translation>Đã hủy xuất; không để lại tệp nào.</translation>
    </message>
    <message>
        <source>The alerts could not be exported to {path}: {reason}</source>
        <translation>Không xuất được cảnh báo ra {path}: {reason}</translation>
    </message>
    <message>
        <source>Shift handover report</source>
        <translation>Báo cáo giao ca</translation>
    </message>
    <message>
        <source>Report saved: {path}</source>
        <translation>Đã lưu báo cáo: {path}</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <source>Picture</source>
        <translation>Ảnh</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Kết thúc</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Motion detected</source>
        <translation>Phát hiện chuyển động</translation>
    </message>
    <message>
        <source>Camera covered</source>
        <translation>Camera bị che</translation>
    </message>
    <message>
        <source>Camera out of focus</source>
        <translation>Camera bị mờ</translation>
    </message>
    <message>
        <source>Camera moved</source>
        <translation>Camera bị dịch chuyển</translation>
    </message>
    <message>
        <source>Frozen picture</source>
        <translation>Hình bị đứng</translation>
    </message>
    <message>
        <source>Camera offline</source>
        <translation>Mất kết nối camera</translation>
    </message>
    <message>
        <source>Whole site offline</source>
        <translation>Mất kết nối toàn điểm</translation>
    </message>
    <message>
        <source>Every site offline (network link)</source>
        <translation>Mất kết nối toàn bộ các điểm (đường truyền)</translation>
    </message>
    <message>
        <source>Manual incident</source>
        <translation>Ghi nhận vụ việc</translation>
    </message>
    <message>
        <source>Recording stopped</source>
        <translation>Ngừng ghi hình</translation>
    </message>
    <message>
        <source>System error</source>
        <translation>Lỗi hệ thống</translation>
    </message>
    <message>
        <source>Motion (camera)</source>
        <translation>Chuyển động (camera)</translation>
    </message>
    <message>
        <source>Tamper (camera)</source>
        <translation>Phá hoại camera (camera)</translation>
    </message>
    <message>
        <source>Alarm input</source>
        <translation>Đầu vào báo động</translation>
    </message>
    <message>
        <source>Camera events lost</source>
        <translation>Mất kênh sự kiện camera</translation>
    </message>
    <message>
        <source>Camera clock off</source>
        <translation>Lệch giờ camera</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Mới</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Thấp</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Trung bình</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Cao</translation>
    </message>
    <message>
        <source>Ended at {time}</source>
        <translation>Đã kết thúc lúc {time}</translation>
    </message>
    <message>
        <source>Going on for {duration}</source>
        <translation>Đang diễn ra {duration}</translation>
    </message>
    <message>
        <source>Going on for {duration}, last activity {time}</source>
        <translation>Đang diễn ra {duration}, hoạt động cuối lúc {time}</translation>
    </message>
</context>
<context>
    <name>AnalyticsDialog</name>
    <message>
        <source>Detection settings — {camera}</source>
        <translation>Cài đặt phát hiện — {camera}</translation>
    </message>
    <message>
        <source>Click to add corners of a detection zone, double-click to close it; right-click a zone to delete it. No zone: no motion alerts for this camera.</source>
        <translation>Nhấp chuột để thêm các đỉnh của vùng phát hiện, nhấp đúp để khép vùng; nhấp chuột phải vào một vùng để xóa. Không có vùng nào: camera này không cảnh báo chuyển động.</translation>
    </message>
    <message>
        <source>Delete all zones</source>
        <translation>Xóa tất cả vùng</translation>
    </message>
    <message>
        <source>Only between</source>
        <translation>Chỉ trong khung giờ</translation>
    </message>
    <message>
        <source> s</source>
        <translation> giây</translation>
    </message>
    <message>
        <source>Alert when the camera is covered, out of focus or moved</source>
        <translation>Cảnh báo khi camera bị che, bị mờ hoặc bị dịch chuyển</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>Độ nhạy</translation>
    </message>
    <message>
        <source>Minimum area of the zone</source>
        <translation>Diện tích tối thiểu của vùng</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Lịch phát hiện</translation>
    </message>
    <message>
        <source>Cooldown (same alert continues)</source>
        <translation>Thời gian gộp (vẫn là cảnh báo cũ)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
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
    <message>
        <source>The console could not start</source>
        <translation>Không khởi động được phần mềm</translation>
    </message>
    <message>
        <source>The console could not start because of an unexpected error. The technical details are in the log {log}.</source>
        <translation>Không khởi động được phần mềm do một lỗi ngoài dự kiến. Chi tiết kỹ thuật có trong nhật ký {log}.</translation>
    </message>
</context>
<context>
    <name>AuditLogWindow</name>
    <message>
        <source>Audit trail</source>
        <translation>Nhật ký thao tác</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Lọc</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>From (UTC+7)</source>
        <translation>Từ (UTC+7)</translation>
    </message>
    <message>
        <source>To (UTC+7)</source>
        <translation>Đến (UTC+7)</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <source>Check integrity</source>
        <translation>Kiểm tra tính toàn vẹn</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>“From” must be before “To”.</source>
        <translation>“Từ” phải trước “Đến”.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Đang tải…</translation>
    </message>
    <message>
        <source>The audit trail could not be read: {reason}</source>
        <translation>Không đọc được nhật ký thao tác: {reason}</translation>
    </message>
    <message>
        <source>More rows match: showing the newest {count} only. Narrow the filters to see the others.</source>
        <translation>Còn nhiều dòng khớp hơn: chỉ hiện {count} dòng mới nhất. Hãy thu hẹp bộ lọc để xem các dòng còn lại.</translation>
    </message>
    <message>
        <source>1 row</source>
        <translation>1 dòng</translation>
    </message>
    <message>
        <source>{count} rows</source>
        <translation>{count} dòng</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Xuất CSV</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exporting to {path}…</source>
        <translation>Đang xuất ra {path}…</translation>
    </message>
    <message>
        <source>Exported {count} rows to {path}</source>
        <translation>Đã xuất {count} dòng ra {path}</translation>
    </message>
    <message>
        <source>The rows could not be exported to {path}: {reason}</source>
        <translation>Không xuất được các dòng ra {path}: {reason}</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Could not be checked</source>
        <translation>Không kiểm tra được</translation>
    </message>
    <message>
        <source>Trail intact</source>
        <translation>Nhật ký nguyên vẹn</translation>
    </message>
    <message>
        <source>Trail not intact</source>
        <translation>Nhật ký không nguyên vẹn</translation>
    </message>
</context>
<context>
    <name>AuditRowsModel</name>
    <message>
        <source>Time (UTC+7)</source>
        <translation>Thời gian (UTC+7)</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Thao tác</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Dòng</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
</context>
<context>
    <name>BookmarkDialog</name>
    <message>
        <source>Bookmark</source>
        <translation>Đánh dấu</translation>
    </message>
    <message>
        <source>Edit the bookmark</source>
        <translation>Sửa đánh dấu</translation>
    </message>
    <message>
        <source>What is seen (required)</source>
        <translation>Nội dung quan sát được (bắt buộc)</translation>
    </message>
    <message>
        <source>Separated by commas, e.g. school gate, motorbike</source>
        <translation>Cách nhau bằng dấu phẩy, ví dụ: cổng trường, xe máy</translation>
    </message>
    <message>
        <source>Tags in use: {tags}</source>
        <translation>Nhãn đang dùng: {tags}</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>From (UTC+7)</source>
        <translation>Từ (UTC+7)</translation>
    </message>
    <message>
        <source>To (UTC+7)</source>
        <translation>Đến (UTC+7)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>BookmarkWords</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} giây</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} phút {seconds} giây</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} giờ {minutes} phút</translation>
    </message>
    <message>
        <source>Alert no. {number}: {kind}</source>
        <translation>Cảnh báo số {number}: {kind}</translation>
    </message>
    <message>
        <source>Bookmark saved: {name}</source>
        <translation>Đã lưu đánh dấu: {name}</translation>
    </message>
</context>
<context>
    <name>BookmarksPanel</name>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>From (UTC+7)</source>
        <translation>Từ (UTC+7)</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Nhãn</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Người đánh dấu</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Add to incident…</source>
        <translation>Thêm vào vụ việc…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Trích xuất…</translation>
    </message>
    <message>
        <source>The bookmark&apos;s range as evidence: the MP4, its hash and the record</source>
        <translation>Trích xuất đoạn video của đánh dấu làm chứng cứ: tệp MP4, mã băm SHA-256 và biên bản</translation>
    </message>
    <message>
        <source>Search (no diacritics needed): name, tags, note</source>
        <translation>Tìm kiếm (gõ không dấu cũng được): tên, nhãn, ghi chú</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Mọi thời gian</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>24 giờ qua</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 ngày qua</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 ngày qua</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>Từ … đến …</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Tất cả nhãn</translation>
    </message>
    <message>
        <source>Bookmark saved: {name}</source>
        <translation>Đã lưu đánh dấu: {name}</translation>
    </message>
    <message>
        <source>Delete the bookmark “{name}”? An incident it was added to keeps its recording.</source>
        <translation>Xóa đánh dấu “{name}”? Vụ việc đã được thêm đánh dấu này vẫn giữ đoạn ghi hình.</translation>
    </message>
    <message>
        <source>Bookmark deleted: {name}</source>
        <translation>Đã xóa đánh dấu: {name}</translation>
    </message>
    <message>
        <source>The recording of “{name}” is added to the incident chosen.</source>
        <translation>Đoạn ghi hình của “{name}” sẽ được thêm vào vụ việc được chọn.</translation>
    </message>
    <message>
        <source>“{name}” added to incident no. {number}</source>
        <translation>Đã thêm “{name}” vào vụ việc số {number}</translation>
    </message>
    <message>
        <source>Delete the bookmark</source>
        <translation>Xóa đánh dấu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>Continuous</source>
        <translation>Liên tục</translation>
    </message>
    <message>
        <source>On alert only</source>
        <translation>Chỉ khi có cảnh báo</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>Camera {camera}</source>
        <translation>Camera {camera}</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>giữ nguyên</translation>
    </message>
    <message>
        <source>Remove camera…</source>
        <translation>Xóa camera…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>Luồng chính</translation>
    </message>
    <message>
        <source>Sub stream (optional)</source>
        <translation>Luồng phụ (không bắt buộc)</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Ghi hình</translation>
    </message>
    <message>
        <source>Not an RTSP address (rtsp://…): check the main and sub stream fields.</source>
        <translation>Không phải địa chỉ RTSP (rtsp://…): hãy kiểm tra ô luồng chính và luồng phụ.</translation>
    </message>
    <message>
        <source>Remove camera</source>
        <translation>Xóa camera</translation>
    </message>
    <message>
        <source>Remove camera {camera} from the site file? Its recordings stay.</source>
        <translation>Xóa camera {camera} khỏi tệp cấu hình? Các bản ghi của camera vẫn được giữ.</translation>
    </message>
</context>
<context>
    <name>CameraSetup</name>
    <message>
        <source>Add cameras…</source>
        <translation>Thêm camera…</translation>
    </message>
    <message>
        <source>Add a site…</source>
        <translation>Thêm điểm…</translation>
    </message>
    <message>
        <source>The demo&apos;s site file is not edited: install a commune&apos;s site file first.</source>
        <translation>Tệp cấu hình của bản trình diễn không được sửa: hãy cài tệp cấu hình của xã trước.</translation>
    </message>
    <message>
        <source>Edit camera…</source>
        <translation>Sửa camera…</translation>
    </message>
    <message>
        <source>Site file saved</source>
        <translation>Đã lưu tệp cấu hình</translation>
    </message>
    <message>
        <source>The site file is saved. Restart the live view now to show the change? Pictures and recording stop for a few seconds.</source>
        <translation>Đã lưu tệp cấu hình. Khởi động lại màn hình trực tiếp ngay để hiện thay đổi? Hình ảnh và ghi hình dừng vài giây.</translation>
    </message>
    <message>
        <source>Restart the live view now</source>
        <translation>Khởi động lại ngay</translation>
    </message>
    <message>
        <source>At the next start</source>
        <translation>Lần khởi động sau</translation>
    </message>
    <message>
        <source>The change is in the site file; it shows at the next start.</source>
        <translation>Thay đổi đã ghi vào tệp cấu hình; sẽ hiện ở lần khởi động sau.</translation>
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
    <message>
        <source>Online</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>{site} — whole site offline</source>
        <translation>{site} — Mất kết nối toàn điểm</translation>
    </message>
</context>
<context>
    <name>CaseExportDialog</name>
    <message>
        <source>Export the case file</source>
        <translation>Xuất hồ sơ vụ việc</translation>
    </message>
    <message>
        <source>Incident no. {number}: {title}</source>
        <translation>Vụ việc số {number}: {title}</translation>
    </message>
    <message>
        <source>Case folder: {folder}</source>
        <translation>Thư mục hồ sơ: {folder}</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Starting the export of incident no. {number}</source>
        <translation>Đang bắt đầu xuất hồ sơ vụ việc số {number}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>The case file was exported and signed: {folder} ({count} files). SHA-256 of the manifest: {sha256}</source>
        <translation>Đã xuất và ký hồ sơ vụ việc: {folder} ({count} tệp). Mã băm SHA-256 của bản kê: {sha256}</translation>
    </message>
    <message>
        <source>The case file could not be exported ({reason}): nothing of it was left behind.</source>
        <translation>Không xuất được hồ sơ vụ việc ({reason}): không để lại phần nào đã ghi.</translation>
    </message>
    <message>
        <source>Cancelling: removing what was written…</source>
        <translation>Đang hủy: đang xóa những gì đã ghi…</translation>
    </message>
</context>
<context>
    <name>CaseItemsModel</name>
    <message>
        <source>Picture</source>
        <translation>Ảnh</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Mục</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Chi tiết</translation>
    </message>
    <message>
        <source>Linked</source>
        <translation>Liên kết lúc</translation>
    </message>
    <message>
        <source>{time} by {officer}</source>
        <translation>{time} bởi {officer}</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <source>Read plate…</source>
        <translation>Đọc biển số…</translation>
    </message>
    <message>
        <source>A new note: what was seen, said or done (kept as written, never edited)</source>
        <translation>Ghi chú mới: điều đã thấy, đã nghe hoặc đã làm (lưu nguyên văn, không sửa được)</translation>
    </message>
    <message>
        <source>Add a note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại vụ việc</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>Cán bộ xử lý</translation>
    </message>
    <message>
        <source>Choose an incident in the list, or open a new one</source>
        <translation>Chọn một vụ việc trong danh sách, hoặc tạo vụ việc mới</translation>
    </message>
    <message>
        <source>No. {number}: {title}</source>
        <translation>Số {number}: {title}</translation>
    </message>
    <message>
        <source>Linked items ({count})</source>
        <translation>Mục liên kết ({count})</translation>
    </message>
    <message>
        <source>Notes ({count})</source>
        <translation>Ghi chú ({count})</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>Đổi mật khẩu</translation>
    </message>
    <message>
        <source>At least {count} characters</source>
        <translation>Ít nhất {count} ký tự</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Tài khoản</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Mật khẩu hiện tại</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Nhập lại mật khẩu mới</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Wait: the password is still being changed.</source>
        <translation>Xin chờ: mật khẩu đang được đổi.</translation>
    </message>
    <message>
        <source>The repeated password does not match.</source>
        <translation>Mật khẩu nhập lại không khớp.</translation>
    </message>
    <message>
        <source>The new password must differ from the current one.</source>
        <translation>Mật khẩu mới phải khác mật khẩu hiện tại.</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>Đang đổi mật khẩu…</translation>
    </message>
    <message>
        <source>The password could not be changed. The details are in the console&apos;s log file.</source>
        <translation>Không đổi được mật khẩu. Chi tiết xem trong tệp nhật ký của phần mềm.</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>Đã đổi mật khẩu.</translation>
    </message>
</context>
<context>
    <name>ChannelTable</name>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kênh</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Not reported</source>
        <translation>Không báo</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
</context>
<context>
    <name>CompanionView</name>
    <message>
        <source>Remove this camera from synchronized playback</source>
        <translation>Bỏ camera này khỏi xem lại đồng bộ</translation>
    </message>
    <message>
        <source>Nothing recorded at this moment.</source>
        <translation>Không có bản ghi tại thời điểm này.</translation>
    </message>
</context>
<context>
    <name>CountsModel</name>
    <message>
        <source>Day</source>
        <translation>Ngày</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Số lượng</translation>
    </message>
</context>
<context>
    <name>CredentialsPage</name>
    <message>
        <source>User name and password</source>
        <translation>Tên đăng nhập và mật khẩu</translation>
    </message>
    <message>
        <source>One login for all the ticked cameras. It is kept in the credentials store, never in the site file or in a stream address.</source>
        <translation>Một tài khoản đăng nhập dùng chung cho mọi camera đã chọn. Tài khoản được lưu trong kho mật khẩu, không bao giờ ghi vào tệp cấu hình hay vào địa chỉ luồng video.</translation>
    </message>
    <message>
        <source>Log in and read the cameras</source>
        <translation>Đăng nhập và đọc thông tin camera</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Logging in to {count} cameras…</source>
        <translation>Đang đăng nhập vào {count} camera…</translation>
    </message>
    <message>
        <source>{read} of {count} cameras read.</source>
        <translation>Đã đọc được {read}/{count} camera.</translation>
    </message>
    <message>
        <source>The cameras could not be read: {reason}</source>
        <translation>Không đọc được thông tin camera: {reason}</translation>
    </message>
</context>
<context>
    <name>CsvExport</name>
    <message>
        <source>Exporting alerts…</source>
        <translation>Đang xuất cảnh báo…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Exporting alerts… {count} written</source>
        <translation>Đang xuất cảnh báo… đã ghi {count}</translation>
    </message>
</context>
<context>
    <name>DatabaseDialog</name>
    <message>
        <source>The database {file} was written by a newer version of the console (schema {found}; this version reads up to {supported}). The file was not changed. Install the newer version again, or ask the provincial technical department.</source>
        <translation>Cơ sở dữ liệu {file} do một phiên bản phần mềm mới hơn ghi (lược đồ {found}; phiên bản này chỉ đọc được đến {supported}). Tệp chưa bị thay đổi. Hãy cài lại phiên bản mới hơn hoặc liên hệ phòng kỹ thuật của tỉnh.</translation>
    </message>
    <message>
        <source>The database {file} is damaged ({detail}). Close the console, move the file to another folder (it holds the alert log and the saved layouts) and ask the provincial technical department to repair it.</source>
        <translation>Cơ sở dữ liệu {file} bị hỏng ({detail}). Hãy đóng phần mềm, chuyển tệp sang thư mục khác (tệp chứa nhật ký cảnh báo và các bố cục đã lưu) và nhờ phòng kỹ thuật của tỉnh sửa chữa.</translation>
    </message>
    <message>
        <source>The database {file} cannot be opened ({detail}). Check that the disk is not full and that the data folder can be written, then start the console again.</source>
        <translation>Không mở được cơ sở dữ liệu {file} ({detail}). Hãy kiểm tra ổ đĩa còn chỗ trống và thư mục dữ liệu ghi được, rồi khởi động lại phần mềm.</translation>
    </message>
    <message>
        <source>Backups made before earlier updates: {names}.</source>
        <translation>Các bản sao lưu tạo trước những lần cập nhật trước: {names}.</translation>
    </message>
    <message>
        <source>Database error</source>
        <translation>Lỗi cơ sở dữ liệu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>DeletionMenu</name>
    <message>
        <source>Delete recordings…</source>
        <translation>Xóa ghi hình…</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>&amp;Duty</source>
        <translation>&amp;Ca trực</translation>
    </message>
    <message>
        <source>Lock the screen</source>
        <translation>Khóa màn hình</translation>
    </message>
    <message>
        <source>Shift change…</source>
        <translation>Giao ca…</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <source>Change my password…</source>
        <translation>Đổi mật khẩu…</translation>
    </message>
    <message>
        <source>Users…</source>
        <translation>Người dùng…</translation>
    </message>
    <message>
        <source>Audit trail…</source>
        <translation>Nhật ký thao tác…</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>Nhập tên đăng nhập và mật khẩu.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Hai mật khẩu không giống nhau.</translation>
    </message>
    <message>
        <source>The login could not be checked: the console&apos;s database is not readable.</source>
        <translation>Không kiểm tra được đăng nhập: không đọc được cơ sở dữ liệu của phần mềm.</translation>
    </message>
    <message>
        <source>Nobody is logged in.</source>
        <translation>Chưa có ai đăng nhập.</translation>
    </message>
    <message>
        <source>Screen locked ({name} on duty).</source>
        <translation>Màn hình đã khóa ({name} đang trực).</translation>
    </message>
    <message>
        <source>On duty: {name}</source>
        <translation>Đang trực: {name}</translation>
    </message>
</context>
<context>
    <name>DeviceTableModel</name>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Maker</source>
        <translation>Hãng sản xuất</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Mẫu</translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation>Phần mềm (firmware)</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Số sê-ri</translation>
    </message>
    <message>
        <source>MAC address</source>
        <translation>Địa chỉ MAC</translation>
    </message>
    <message>
        <source>Clock offset</source>
        <translation>Lệch giờ</translation>
    </message>
    <message>
        <source>Streams</source>
        <translation>Luồng video</translation>
    </message>
    <message>
        <source>PTZ</source>
        <translation>PTZ</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Sự kiện</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Có</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Không</translation>
    </message>
    <message>
        <source>RTSP address (no ONVIF)</source>
        <translation>Địa chỉ RTSP (không có ONVIF)</translation>
    </message>
</context>
<context>
    <name>DiscoverPage</name>
    <message>
        <source>Find cameras</source>
        <translation>Tìm camera trong mạng</translation>
    </message>
    <message>
        <source>Search the station&apos;s network for ONVIF cameras, or type their addresses when they are on another network.</source>
        <translation>Tìm camera ONVIF trong mạng của máy trạm, hoặc nhập địa chỉ camera khi camera ở mạng khác.</translation>
    </message>
    <message>
        <source>Search the network (WS-Discovery)</source>
        <translation>Dò tìm trong mạng (WS-Discovery)</translation>
    </message>
    <message>
        <source>Ask these addresses</source>
        <translation>Hỏi các địa chỉ này</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <source>Import the channels of a recorder (NVR)…</source>
        <translation>Nhập các kênh từ đầu ghi (NVR)…</translation>
    </message>
    <message>
        <source>Camera without ONVIF: add it by its RTSP address</source>
        <translation>Camera không có ONVIF: thêm bằng địa chỉ RTSP</translation>
    </message>
    <message>
        <source>Add to the list</source>
        <translation>Thêm vào danh sách</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>Luồng chính</translation>
    </message>
    <message>
        <source>Sub stream (optional)</source>
        <translation>Luồng phụ (không bắt buộc)</translation>
    </message>
    <message>
        <source>Not an address to search: {text}</source>
        <translation>Địa chỉ dò tìm không hợp lệ: {text}</translation>
    </message>
    <message>
        <source>Not addresses and ports to ask: {hosts} / {ports}</source>
        <translation>Địa chỉ hoặc cổng không hợp lệ: {hosts} / {ports}</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>{count} devices answered.</source>
        <translation>Có {count} thiết bị trả lời.</translation>
    </message>
    <message>
        <source>The search failed: {reason}</source>
        <translation>Tìm camera không thành công: {reason}</translation>
    </message>
    <message>
        <source>Not an RTSP address (rtsp://…): check the main and sub stream fields.</source>
        <translation>Không phải địa chỉ RTSP (rtsp://…): hãy kiểm tra ô luồng chính và luồng phụ.</translation>
    </message>
    <message>
        <source>Added: {address}</source>
        <translation>Đã thêm: {address}</translation>
    </message>
</context>
<context>
    <name>Evidence</name>
    <message>
        <source>Video data extraction record</source>
        <translation>Biên bản trích xuất dữ liệu video</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>Số hồ sơ/vụ việc</translation>
    </message>
    <message>
        <source>Reason for extraction</source>
        <translation>Lý do trích xuất</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Cơ quan/người yêu cầu</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Range asked for (UTC+7)</source>
        <translation>Khoảng thời gian yêu cầu (UTC+7)</translation>
    </message>
    <message>
        <source>First picture in the file (UTC+7)</source>
        <translation>Khung hình đầu tiên trong tệp (UTC+7)</translation>
    </message>
    <message>
        <source>Duration (h:mm:ss)</source>
        <translation>Thời lượng (giờ:phút:giây)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Dung lượng</translation>
    </message>
    <message>
        <source>{size} bytes</source>
        <translation>{size} byte</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>Mã băm SHA-256</translation>
    </message>
    <message>
        <source>Exported by</source>
        <translation>Người trích xuất</translation>
    </message>
    <message>
        <source>Exported at (UTC+7)</source>
        <translation>Thời điểm trích xuất (UTC+7)</translation>
    </message>
    <message>
        <source>Station key fingerprint (signature)</source>
        <translation>Dấu vân tay khóa ký của trạm (chữ ký số)</translation>
    </message>
    <message>
        <source>The video is copied from the recording without re-encoding. Anyone can check that the file is unchanged: its SHA-256 must equal the value above (also in the .sha256 file). The folder&apos;s manifest.json is signed with the station key whose fingerprint is above: python -m console.evidence verify &lt;folder&gt; checks every file and the signature.</source>
        <translation>Video được sao chép từ bản ghi, không mã hóa lại. Bất kỳ ai cũng kiểm tra được tệp không bị thay đổi: mã SHA-256 của tệp phải trùng với giá trị ở trên (cũng có trong tệp .sha256). Tệp manifest.json trong thư mục được ký bằng khóa của trạm có dấu vân tay ở trên: lệnh python -m console.evidence verify &lt;thư mục&gt; kiểm tra từng tệp và chữ ký.</translation>
    </message>
    <message>
        <source>First picture of the video</source>
        <translation>Khung hình đầu tiên của video</translation>
    </message>
    <message>
        <source>Witness</source>
        <translation>Người chứng kiến</translation>
    </message>
    <message>
        <source>Head of unit</source>
        <translation>Thủ trưởng đơn vị</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export evidence</source>
        <translation>Trích xuất chứng cứ</translation>
    </message>
    <message>
        <source>Empty: left to fill in by hand</source>
        <translation>Để trống: ghi tay sau khi in</translation>
    </message>
    <message>
        <source>The authority or person who asked</source>
        <translation>Cơ quan hoặc người đề nghị trích xuất</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Không bắt buộc</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>From (UTC+7)</source>
        <translation>Từ (UTC+7)</translation>
    </message>
    <message>
        <source>To (UTC+7)</source>
        <translation>Đến (UTC+7)</translation>
    </message>
    <message>
        <source>Exported by</source>
        <translation>Người trích xuất</translation>
    </message>
    <message>
        <source>Record number</source>
        <translation>Số biên bản</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>Số hồ sơ/vụ việc</translation>
    </message>
    <message>
        <source>Reason for extraction</source>
        <translation>Lý do trích xuất</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Cơ quan/người yêu cầu</translation>
    </message>
    <message>
        <source>Witness</source>
        <translation>Người chứng kiến</translation>
    </message>
    <message>
        <source>Head of unit</source>
        <translation>Thủ trưởng đơn vị</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Trích xuất</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>Video MP4 (*.mp4)</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Thời điểm kết thúc phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Write who exports the evidence.</source>
        <translation>Hãy ghi tên người trích xuất chứng cứ.</translation>
    </message>
    <message>
        <source>Write the reason for the extraction.</source>
        <translation>Hãy ghi lý do trích xuất.</translation>
    </message>
    <message>
        <source>Write the authority or person who asked for the extraction.</source>
        <translation>Hãy ghi cơ quan hoặc người yêu cầu trích xuất.</translation>
    </message>
    <message>
        <source>{path} already exists: choose another file.</source>
        <translation>{path} đã có: hãy chọn tệp khác.</translation>
    </message>
    <message>
        <source>{folder} already holds a signed export: choose another folder.</source>
        <translation>{folder} đã chứa một bản trích xuất đã ký: hãy chọn thư mục khác.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Đang trích xuất…</translation>
    </message>
    <message>
        <source>Exported and signed {path} ({seconds:.1f} s). SHA-256: {hash}</source>
        <translation>Đã trích xuất và ký {path} ({seconds:.1f} giây). SHA-256: {hash}</translation>
    </message>
    <message>
        <source>Exported {path}, but it could not be signed: {reason}</source>
        <translation>Đã trích xuất {path}, nhưng không ký được: {reason}</translation>
    </message>
    <message>
        <source>Exported {path}, but its record (PDF) could not be written beside it.</source>
        <translation>Đã trích xuất {path}, nhưng không ghi được biên bản (PDF) bên cạnh tệp.</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Writing the record…</source>
        <translation>Đang ghi biên bản…</translation>
    </message>
    <message>
        <source>Export cancelled; no file was left behind.</source>
        <translation>Đã hủy trích xuất; không để lại tệp dở dang.</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>Trích xuất thất bại: {reason}</translation>
    </message>
</context>
<context>
    <name>FirstStart</name>
    <message>
        <source>No commune configuration</source>
        <translation>Chưa có cấu hình xã</translation>
    </message>
    <message>
        <source>No commune configuration is installed on this machine.

Ask the provincial technical department for the installer of your commune, or copy the site configuration to:
{path}

You can open the demo (simulated cameras) meanwhile.</source>
        <translation>Máy này chưa được cài cấu hình của xã.

Đề nghị Phòng Kỹ thuật Công an tỉnh cung cấp bộ cài đặt của xã, hoặc chép tệp cấu hình điểm camera vào:
{path}

Trong lúc chờ, có thể mở chế độ mô phỏng (camera giả lập).</translation>
    </message>
    <message>
        <source>Open the demo</source>
        <translation>Mở chế độ mô phỏng</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>Forms</name>
    <message>
        <source>No.: {number}/{code}</source>
        <translation>Số: {number}/{code}</translation>
    </message>
    <message>
        <source>{place}, {day}/{month}/{year}</source>
        <translation>{place}, ngày {day} tháng {month} năm {year}</translation>
    </message>
    <message>
        <source>SOCIALIST REPUBLIC OF VIETNAM</source>
        <translation>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</translation>
    </message>
    <message>
        <source>Independence - Freedom - Happiness</source>
        <translation>Độc lập - Tự do - Hạnh phúc</translation>
    </message>
    <message>
        <source>(Signature and full name)</source>
        <translation>(Ký, ghi rõ họ tên)</translation>
    </message>
    <message>
        <source>Page {page}/{pages}</source>
        <translation>Trang {page}/{pages}</translation>
    </message>
</context>
<context>
    <name>HandoverDialog</name>
    <message>
        <source>Shift handover report</source>
        <translation>Báo cáo giao ca</translation>
    </message>
    <message>
        <source>Empty: left to fill in by hand</source>
        <translation>Để trống: ghi tay sau khi in</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Chọn…</translation>
    </message>
    <message>
        <source>Shift start (UTC+7)</source>
        <translation>Bắt đầu ca trực (UTC+7)</translation>
    </message>
    <message>
        <source>Shift end (UTC+7)</source>
        <translation>Kết thúc ca trực (UTC+7)</translation>
    </message>
    <message>
        <source>Officer handing over</source>
        <translation>Người giao ca</translation>
    </message>
    <message>
        <source>Officer taking over</source>
        <translation>Người nhận ca</translation>
    </message>
    <message>
        <source>Report number</source>
        <translation>Số báo cáo</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Tệp</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Lưu báo cáo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <source>The end of the shift must be after its start.</source>
        <translation>Thời điểm kết thúc ca phải sau thời điểm bắt đầu.</translation>
    </message>
    <message>
        <source>Write the name of the officer handing over.</source>
        <translation>Hãy ghi tên người giao ca.</translation>
    </message>
    <message>
        <source>Write the name of the officer taking over.</source>
        <translation>Hãy ghi tên người nhận ca.</translation>
    </message>
    <message>
        <source>Choose the file for the report.</source>
        <translation>Hãy chọn tệp để lưu báo cáo.</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Đang ghi báo cáo…</translation>
    </message>
    <message>
        <source>The report could not be written to {path}: choose another folder.</source>
        <translation>Không ghi được báo cáo vào {path}: hãy chọn thư mục khác.</translation>
    </message>
</context>
<context>
    <name>IncidentDialog</name>
    <message>
        <source>Record an incident</source>
        <translation>Ghi nhận vụ việc</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Ghi nhận</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
</context>
<context>
    <name>IncidentForm</name>
    <message>
        <source>New incident</source>
        <translation>Vụ việc mới</translation>
    </message>
    <message>
        <source>Edit the incident</source>
        <translation>Sửa thông tin vụ việc</translation>
    </message>
    <message>
        <source>What happened, where (required)</source>
        <translation>Việc gì, ở đâu (bắt buộc)</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Không có camera</translation>
    </message>
    <message>
        <source>e.g. in front of the market gate</source>
        <translation>ví dụ: trước cổng chợ</translation>
    </message>
    <message>
        <source>latitude, longitude (optional), e.g. 21.0285, 105.8542</source>
        <translation>vĩ độ, kinh độ (không bắt buộc), ví dụ: 21.0285, 105.8542</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>Đã biết</translation>
    </message>
    <message>
        <source>User names, separated by commas</source>
        <translation>Tên đăng nhập, cách nhau bằng dấu phẩy</translation>
    </message>
    <message>
        <source>A first note (optional)</source>
        <translation>Ghi chú đầu tiên (không bắt buộc)</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên vụ việc</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Loại vụ việc</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Point on the map</source>
        <translation>Vị trí trên bản đồ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Officers</source>
        <translation>Cán bộ xử lý</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Write the point as latitude, longitude, e.g. 21.0285, 105.8542</source>
        <translation>Hãy ghi vị trí dạng vĩ độ, kinh độ, ví dụ: 21.0285, 105.8542</translation>
    </message>
</context>
<context>
    <name>IncidentLayer</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Đã chuyển</translation>
    </message>
    <message>
        <source>Incident no. {number}: {title}</source>
        <translation>Vụ việc số {number}: {title}</translation>
    </message>
    <message>
        <source>Where the citizen&apos;s video {file} was recorded</source>
        <translation>Nơi quay video {file} của người dân</translation>
    </message>
    <message>
        <source>Click to open it in the Incidents panel</source>
        <translation>Bấm để mở vụ việc trong bảng Vụ việc</translation>
    </message>
    <message>
        <source>Open incidents ({count})</source>
        <translation>Vụ việc đang mở ({count})</translation>
    </message>
    <message>
        <source>Show or hide the open and forwarded incidents on the map</source>
        <translation>Hiện hoặc ẩn các vụ việc đang xử lý và đã chuyển trên bản đồ</translation>
    </message>
</context>
<context>
    <name>IncidentListModel</name>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Tên vụ việc</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
</context>
<context>
    <name>IncidentPicker</name>
    <message>
        <source>Add to an incident</source>
        <translation>Thêm vào vụ việc</translation>
    </message>
    <message>
        <source>Search (no diacritics needed): title, place, notes…</source>
        <translation>Tìm kiếm (gõ không dấu cũng được): tên, địa điểm, ghi chú…</translation>
    </message>
    <message>
        <source>No open incident found. Open one in the Incidents panel first.</source>
        <translation>Không có vụ việc nào đang xử lý. Hãy mở vụ việc ở bảng Vụ việc trước.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>No. {number}: {title} (opened {time})</source>
        <translation>Số {number}: {title} (mở lúc {time})</translation>
    </message>
</context>
<context>
    <name>IncidentSearchBar</name>
    <message>
        <source>Search (no diacritics needed): title, place, notes, who provided a video…</source>
        <translation>Tìm kiếm (gõ không dấu cũng được): tên, địa điểm, ghi chú, người cung cấp video…</translation>
    </message>
    <message>
        <source>Plate, e.g. 29A12345</source>
        <translation>Biển số, ví dụ: 29A12345</translation>
    </message>
    <message>
        <source>All cameras</source>
        <translation>Tất cả camera</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <source>Not closed</source>
        <translation>Chưa đóng</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>to</source>
        <translation>đến</translation>
    </message>
</context>
<context>
    <name>IncidentWords</name>
    <message>
        <source>Open</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Đã chuyển</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <source>Theft</source>
        <translation>Trộm cắp tài sản</translation>
    </message>
    <message>
        <source>Traffic accident</source>
        <translation>Tai nạn giao thông</translation>
    </message>
    <message>
        <source>Public disorder</source>
        <translation>Gây rối trật tự</translation>
    </message>
    <message>
        <source>Fire or explosion</source>
        <translation>Cháy nổ</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Khác</translation>
    </message>
    <message>
        <source>USB stick, memory card or phone cable</source>
        <translation>USB, thẻ nhớ hoặc cáp điện thoại</translation>
    </message>
    <message>
        <source>Zalo</source>
        <translation>Zalo</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Thư điện tử</translation>
    </message>
    <message>
        <source>Other means</source>
        <translation>Cách khác</translation>
    </message>
    <message>
        <source>camera {camera}</source>
        <translation>camera {camera}</translation>
    </message>
    <message>
        <source>site {site}</source>
        <translation>điểm camera {site}</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} đến {end}</translation>
    </message>
    <message>
        <source>Opened {time} by {officer}</source>
        <translation>Tạo lúc {time} bởi {officer}</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Ghi hình</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Ảnh chụp</translation>
    </message>
    <message>
        <source>Citizen&apos;s video</source>
        <translation>Video do người dân cung cấp</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Biển số</translation>
    </message>
    <message>
        <source>Alert no. {alert}</source>
        <translation>Cảnh báo số {alert}</translation>
    </message>
    <message>
        <source>Camera {camera}, {start} to {end}</source>
        <translation>Camera {camera}, {start} đến {end}</translation>
    </message>
    <message>
        <source>Picture of camera {camera} at {time}</source>
        <translation>Ảnh của camera {camera} lúc {time}</translation>
    </message>
    <message>
        <source>Picture {file}</source>
        <translation>Ảnh {file}</translation>
    </message>
    <message>
        <source>Plate {plate}, camera {camera} at {time}</source>
        <translation>Biển số {plate}, camera {camera} lúc {time}</translation>
    </message>
    <message>
        <source>Plate {plate}</source>
        <translation>Biển số {plate}</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} giây</translation>
    </message>
    <message>
        <source>{file} ({length}), provided by {name} ({channel})</source>
        <translation>{file} ({length}), người cung cấp: {name} ({channel})</translation>
    </message>
    <message>
        <source>Video no. {video}</source>
        <translation>Video số {video}</translation>
    </message>
    <message>
        <source>SHA-256: {sha256}</source>
        <translation>Mã băm SHA-256: {sha256}</translation>
    </message>
    <message>
        <source>Received {time} by {officer}</source>
        <translation>Tiếp nhận lúc {time} bởi {officer}</translation>
    </message>
    <message>
        <source>Claimed time: {time}</source>
        <translation>Thời gian theo lời khai: {time}</translation>
    </message>
    <message>
        <source>Claimed place: {place}</source>
        <translation>Địa điểm theo lời khai: {place}</translation>
    </message>
    <message>
        <source>The file says it was recorded at {time}</source>
        <translation>Thời gian ghi trong tệp: {time}</translation>
    </message>
    <message>
        <source>Came through a chat app: ask for the original file from the phone</source>
        <translation>Nhận qua ứng dụng nhắn tin: nên xin tệp gốc trong điện thoại</translation>
    </message>
</context>
<context>
    <name>IncidentsDock</name>
    <message>
        <source>Incidents</source>
        <translation>Vụ việc</translation>
    </message>
    <message>
        <source>New incident</source>
        <translation>Vụ việc mới</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Sửa thông tin…</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Đổi trạng thái</translation>
    </message>
    <message>
        <source>Receive a video from citizens…</source>
        <translation>Tiếp nhận video từ người dân…</translation>
    </message>
    <message>
        <source>Or drop the video file from the USB stick onto this panel</source>
        <translation>Hoặc kéo thả tệp video từ USB vào khung này</translation>
    </message>
    <message>
        <source>Show on the map</source>
        <translation>Xem trên bản đồ</translation>
    </message>
    <message>
        <source>Export case file…</source>
        <translation>Xuất hồ sơ vụ việc…</translation>
    </message>
    <message>
        <source>One signed folder with the clips, the citizens&apos; originals, the pictures, the notes and the case report</source>
        <translation>Một thư mục đã ký gồm các đoạn video, bản gốc do người dân cung cấp, ảnh, ghi chú và báo cáo vụ việc</translation>
    </message>
    <message>
        <source>The incident is closed: reopen it (Change status) to add to it</source>
        <translation>Vụ việc đã đóng: hãy mở lại (Đổi trạng thái) trước khi bổ sung</translation>
    </message>
    <message>
        <source>Incident no. {number} saved</source>
        <translation>Đã lưu vụ việc số {number}</translation>
    </message>
    <message>
        <source>Note added to incident no. {number}</source>
        <translation>Đã thêm ghi chú vào vụ việc số {number}</translation>
    </message>
    <message>
        <source>Incident no. {number} is now: {status}</source>
        <translation>Vụ việc số {number} chuyển sang trạng thái: {status}</translation>
    </message>
    <message>
        <source>Alert no. {alert} is already in incident no. {number}</source>
        <translation>Cảnh báo số {alert} đã thuộc vụ việc số {number}</translation>
    </message>
    <message>
        <source>Incident no. {number} opened: {title}</source>
        <translation>Đã tạo vụ việc số {number}: {title}</translation>
    </message>
    <message>
        <source>Choose the incident the video belongs to first (or open a new one)</source>
        <translation>Hãy chọn vụ việc của video trước (hoặc tạo vụ việc mới)</translation>
    </message>
    <message>
        <source>A video is being received for incident no. {number}: wait for it or cancel it</source>
        <translation>Đang tiếp nhận video cho vụ việc số {number}: hãy chờ xong hoặc hủy</translation>
    </message>
    <message>
        <source>Video {file} received into incident no. {number}</source>
        <translation>Đã tiếp nhận video {file} vào vụ việc số {number}</translation>
    </message>
    <message>
        <source>Choose the incident to export first</source>
        <translation>Hãy chọn vụ việc cần xuất trước</translation>
    </message>
    <message>
        <source>The case file of incident no. {number} is being exported: wait for it or cancel it</source>
        <translation>Hồ sơ vụ việc số {number} đang được xuất: hãy chờ xong hoặc hủy</translation>
    </message>
    <message>
        <source>Choose where to put the case file</source>
        <translation>Chọn nơi lưu hồ sơ vụ việc</translation>
    </message>
    <message>
        <source>The case file was exported to {folder}</source>
        <translation>Đã xuất hồ sơ vụ việc vào {folder}</translation>
    </message>
    <message>
        <source>The picture {path} could not be read.</source>
        <translation>Không đọc được ảnh {path}.</translation>
    </message>
</context>
<context>
    <name>IntakeRun</name>
    <message>
        <source>The file {name} could not be received ({reason}): nothing of it was kept.</source>
        <translation>Không tiếp nhận được tệp {name} ({reason}): không có gì được lưu.</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Create the administrator</source>
        <translation>Tạo tài khoản quản trị viên</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <source>Screen locked</source>
        <translation>Màn hình đã khóa</translation>
    </message>
    <message>
        <source>Shift change</source>
        <translation>Giao ca</translation>
    </message>
    <message>
        <source>This installation has no administrator yet. The technician creates one now; officers are added afterwards in Duty → Users.</source>
        <translation>Bản cài đặt này chưa có quản trị viên. Cán bộ kỹ thuật tạo tài khoản quản trị viên ngay bây giờ; tài khoản cán bộ trực ban được thêm sau trong Ca trực → Người dùng.</translation>
    </message>
    <message>
        <source>Log in with your user name and password.</source>
        <translation>Đăng nhập bằng tên đăng nhập và mật khẩu của đồng chí.</translation>
    </message>
    <message>
        <source>{name} is on duty. Enter the password to unlock; another officer logging in takes over the shift.</source>
        <translation>{name} đang trực. Nhập mật khẩu để mở khóa; cán bộ khác đăng nhập sẽ nhận ca.</translation>
    </message>
    <message>
        <source>The officer taking over from {name} logs in.</source>
        <translation>Cán bộ nhận ca từ {name} đăng nhập.</translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation>Tạo và đăng nhập</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
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
        <source>Map</source>
        <translation>Bản đồ</translation>
    </message>
    <message>
        <source>Page {page}/{pages}</source>
        <translation>Trang {page}/{pages}</translation>
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
        <source>&amp;Layouts</source>
        <translation>&amp;Bố cục</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>&amp;Xem lại</translation>
    </message>
    <message>
        <source>Open playback of the selected camera</source>
        <translation>Xem lại camera đang chọn</translation>
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
        <source>&amp;View</source>
        <translation>&amp;Xem</translation>
    </message>
    <message>
        <source>Split screen</source>
        <translation>Chia màn hình</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Trang trước</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Trang sau</translation>
    </message>
    <message>
        <source>Tour (auto-cycle pages)</source>
        <translation>Tự động chuyển trang</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Tắt</translation>
    </message>
    <message>
        <source>Every {seconds} s</source>
        <translation>Mỗi {seconds} giây</translation>
    </message>
    <message>
        <source>Video stream</source>
        <translation>Luồng video</translation>
    </message>
    <message>
        <source>Automatic (sub stream in small tiles)</source>
        <translation>Tự động (luồng phụ ở ô nhỏ)</translation>
    </message>
    <message>
        <source>Always main stream</source>
        <translation>Luôn dùng luồng chính</translation>
    </message>
    <message>
        <source>Always sub stream</source>
        <translation>Luôn dùng luồng phụ</translation>
    </message>
    <message>
        <source>For the technician</source>
        <translation>Dành cho kỹ thuật viên</translation>
    </message>
    <message>
        <source>Show latency</source>
        <translation>Hiện độ trễ</translation>
    </message>
    <message>
        <source>Camera name bar</source>
        <translation>Thanh tên camera</translation>
    </message>
    <message>
        <source>Hidden while live (shown under the pointer)</source>
        <translation>Ẩn khi đang trực tiếp (hiện khi di chuột vào)</translation>
    </message>
    <message>
        <source>At the bottom of the picture</source>
        <translation>Ở dưới hình ảnh</translation>
    </message>
    <message>
        <source>At the top of the picture</source>
        <translation>Ở trên hình ảnh</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Toàn màn hình</translation>
    </message>
    <message>
        <source>The live view is in its own window (View → Live view in its own window brings it back).</source>
        <translation>Xem trực tiếp đang ở cửa sổ riêng (Xem → Xem trực tiếp ở cửa sổ riêng để đưa về đây).</translation>
    </message>
    <message>
        <source>&amp;Cameras</source>
        <translation>&amp;Camera</translation>
    </message>
    <message>
        <source>Live view in its own window</source>
        <translation>Xem trực tiếp ở cửa sổ riêng</translation>
    </message>
    <message>
        <source>1 camera</source>
        <translation>1 camera</translation>
    </message>
    <message>
        <source>Split 4</source>
        <translation>Chia 4</translation>
    </message>
    <message>
        <source>Split 9</source>
        <translation>Chia 9</translation>
    </message>
    <message>
        <source>Split 16</source>
        <translation>Chia 16</translation>
    </message>
    <message>
        <source>Split 25</source>
        <translation>Chia 25</translation>
    </message>
    <message>
        <source>Save layout as…</source>
        <translation>Lưu bố cục…</translation>
    </message>
    <message>
        <source>Delete saved layout</source>
        <translation>Xóa bố cục đã lưu</translation>
    </message>
    <message>
        <source>Save layout</source>
        <translation>Lưu bố cục</translation>
    </message>
    <message>
        <source>Layout name:</source>
        <translation>Tên bố cục:</translation>
    </message>
    <message>
        <source>Layout &quot;{name}&quot; saved</source>
        <translation>Đã lưu bố cục &quot;{name}&quot;</translation>
    </message>
    <message>
        <source>Switch to sub stream</source>
        <translation>Chuyển sang luồng phụ</translation>
    </message>
    <message>
        <source>Switch to main stream</source>
        <translation>Chuyển sang luồng chính</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Bỏ phóng to</translation>
    </message>
    <message>
        <source>Maximize tile</source>
        <translation>Phóng to ô</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Chụp ảnh</translation>
    </message>
    <message>
        <source>Automatic stream</source>
        <translation>Chọn luồng tự động</translation>
    </message>
    <message>
        <source>Record incident on this camera</source>
        <translation>Ghi nhận vụ việc tại camera này</translation>
    </message>
    <message>
        <source>Detection settings…</source>
        <translation>Cài đặt phát hiện…</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <source>Close camera</source>
        <translation>Đóng camera</translation>
    </message>
    <message>
        <source>Show in the selected tile</source>
        <translation>Xem ở ô camera đang chọn</translation>
    </message>
    <message>
        <source>Alerts of this camera</source>
        <translation>Cảnh báo của camera này</translation>
    </message>
    <message>
        <source>Turn {camera} here</source>
        <translation>Quay {camera} về đây</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <source>Snapshot saved: {path}</source>
        <translation>Đã chụp ảnh: {path}</translation>
    </message>
    <message>
        <source>Could not take a snapshot of camera {camera}</source>
        <translation>Không chụp được ảnh camera {camera}</translation>
    </message>
    <message>
        <source>&amp;Map</source>
        <translation>&amp;Bản đồ</translation>
    </message>
    <message>
        <source>Show the map</source>
        <translation>Hiện bản đồ</translation>
    </message>
    <message>
        <source>Whole commune</source>
        <translation>Toàn bộ xã</translation>
    </message>
    <message>
        <source>Edit camera positions (administrator)</source>
        <translation>Chỉnh vị trí và góc quan sát camera (quản trị viên)</translation>
    </message>
    <message>
        <source>Undo the last map change</source>
        <translation>Hoàn tác thay đổi gần nhất trên bản đồ</translation>
    </message>
    <message>
        <source>The site file cannot be changed here (demo or read-only)</source>
        <translation>Không sửa được tệp cấu hình ở đây (chế độ mô phỏng hoặc tệp chỉ đọc)</translation>
    </message>
    <message>
        <source>Camera position not saved</source>
        <translation>Chưa lưu vị trí camera</translation>
    </message>
    <message>
        <source>Camera {camera} saved to {file}</source>
        <translation>Đã lưu camera {camera} vào {file}</translation>
    </message>
    <message>
        <source>Last map change undone</source>
        <translation>Đã hoàn tác thay đổi gần nhất trên bản đồ</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>&amp;Cảnh báo</translation>
    </message>
    <message>
        <source>Show the alarm list</source>
        <translation>Hiện danh sách cảnh báo</translation>
    </message>
    <message>
        <source>Silence the bell for this shift (8 h)</source>
        <translation>Tắt chuông báo động trong ca trực (8 giờ)</translation>
    </message>
    <message>
        <source>Bell on again</source>
        <translation>Bật lại chuông báo động</translation>
    </message>
    <message>
        <source>Test the bell</source>
        <translation>Thử chuông báo động</translation>
    </message>
    <message>
        <source>Whole site offline: {site}</source>
        <translation>Mất kết nối toàn điểm: {site}</translation>
    </message>
    <message>
        <source>Exit</source>
        <translation>Thoát</translation>
    </message>
    <message>
        <source>Exit the camera console? Live view, alerts and recording stop until it is started again.</source>
        <translation>Thoát phần mềm giám sát camera? Xem trực tiếp, cảnh báo và ghi hình sẽ dừng cho đến khi khởi động lại.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Repairing recordings after an unclean stop…</source>
        <translation>Đang khôi phục bản ghi…</translation>
    </message>
    <message>
        <source>Recordings repaired</source>
        <translation>Đã khôi phục bản ghi</translation>
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
</context>
<context>
    <name>Map</name>
    <message>
        <source>No base map is installed. An administrator can add one with Map → Add a map…</source>
        <translation>Chưa cài bản đồ nền. Quản trị viên có thể thêm bằng Bản đồ → Thêm bản đồ…</translation>
    </message>
    <message>
        <source>The map pack could not be read: {error}</source>
        <translation>Không đọc được gói bản đồ: {error}</translation>
    </message>
    <message>
        <source>The map picture {file} cannot be read.</source>
        <translation>Không đọc được ảnh bản đồ {file}.</translation>
    </message>
    <message>
        <source>Map data © OpenStreetMap contributors</source>
        <translation>Dữ liệu bản đồ © những người đóng góp OpenStreetMap</translation>
    </message>
</context>
<context>
    <name>MapLegend</name>
    <message>
        <source>Camera lost</source>
        <translation>Camera mất kết nối</translation>
    </message>
    <message>
        <source>Unacknowledged alert</source>
        <translation>Cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Đang trực tiếp</translation>
    </message>
    <message>
        <source>Approximate schematic</source>
        <translation>Sơ đồ gần đúng</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <source>new alert</source>
        <translation>có cảnh báo mới</translation>
    </message>
    <message>
        <source>Part of the vector map could not be drawn:</source>
        <translation>Không vẽ được một phần sơ đồ vector:</translation>
    </message>
    <message>
        <source>… and {count} more problems</source>
        <translation>… và {count} lỗi khác</translation>
    </message>
    <message>
        <source>Camera positions are approximate</source>
        <translation>Vị trí camera là gần đúng</translation>
    </message>
</context>
<context>
    <name>MixedExportDialog</name>
    <message>
        <source>Export evidence (console and recorder)</source>
        <translation>Trích xuất chứng cứ (phần mềm và đầu ghi)</translation>
    </message>
</context>
<context>
    <name>MotionSearchDialog</name>
    <message>
        <source>Find motion — {camera}</source>
        <translation>Tìm chuyển động — {camera}</translation>
    </message>
    <message>
        <source>This hour</source>
        <translation>Giờ này</translation>
    </message>
    <message>
        <source>This day</source>
        <translation>Ngày này</translation>
    </message>
    <message>
        <source>This week (7 days)</source>
        <translation>Tuần này (7 ngày)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Tìm kiếm</translation>
    </message>
    <message>
        <source>Time (UTC+7)</source>
        <translation>Thời gian (UTC+7)</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Thời lượng</translation>
    </message>
    <message>
        <source>Drag a rectangle on the picture where motion is wanted.</source>
        <translation>Kéo chuột vẽ một hình chữ nhật trên ảnh ở vùng cần tìm chuyển động.</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Khoảng thời gian</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Đang tìm…</translation>
    </message>
    <message>
        <source>The search could not read the database. Try again; if it fails again, tell the administrator.</source>
        <translation>Không đọc được cơ sở dữ liệu để tìm kiếm. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.</translation>
    </message>
    <message>
        <source>No motion in this region during the period.</source>
        <translation>Không có chuyển động trong vùng này trong khoảng thời gian đã chọn.</translation>
    </message>
    <message>
        <source>{count} moments with motion; the first {shown} are listed. Draw a smaller region or pick a shorter period.</source>
        <translation>Có {count} thời điểm có chuyển động; chỉ liệt kê {shown} thời điểm đầu. Hãy vẽ vùng nhỏ hơn hoặc chọn khoảng thời gian ngắn hơn.</translation>
    </message>
    <message>
        <source>{count} moments with motion. Click one to play it.</source>
        <translation>Có {count} thời điểm có chuyển động. Bấm vào một thời điểm để xem lại.</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} giây</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} phút {seconds} giây</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <source>What was seen and what was done (required)</source>
        <translation>Đã thấy gì và đã xử lý thế nào (bắt buộc)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>NotesModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Cán bộ</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>Onboarding</name>
    <message>
        <source>Needs the user name and password</source>
        <translation>Cần tên đăng nhập và mật khẩu</translation>
    </message>
    <message>
        <source>Already in the site file as {camera}</source>
        <translation>Đã có trong tệp cấu hình: camera {camera}</translation>
    </message>
    <message>
        <source>The recorder could not be read: {reason}</source>
        <translation>Không đọc được đầu ghi: {reason}</translation>
    </message>
    <message>
        <source>The camera offers no stream</source>
        <translation>Camera không cung cấp luồng video nào</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Sẵn sàng</translation>
    </message>
    <message>
        <source>{fps} fps</source>
        <translation>{fps} khung hình/giây</translation>
    </message>
    <message>
        <source>{kbps} kbit/s</source>
        <translation>{kbps} kbit/s</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} ms</translation>
    </message>
    <message>
        <source>The stream could not be tested</source>
        <translation>Không kiểm tra được luồng video</translation>
    </message>
    <message>
        <source>Nothing was saved: the site file would not be valid.</source>
        <translation>Chưa lưu gì: tệp cấu hình sẽ không hợp lệ.</translation>
    </message>
    <message>
        <source>Nothing was saved: {reason}</source>
        <translation>Chưa lưu gì: {reason}</translation>
    </message>
    <message>
        <source>Nothing was saved: {file} cannot be written ({reason}).</source>
        <translation>Chưa lưu gì: không ghi được tệp {file} ({reason}).</translation>
    </message>
</context>
<context>
    <name>Onvif</name>
    <message>
        <source>Camera clock not read: {reason}</source>
        <translation>Chưa đọc được giờ camera: {reason}</translation>
    </message>
    <message>
        <source>Camera events: subscribing</source>
        <translation>Sự kiện camera: đang đăng ký</translation>
    </message>
    <message>
        <source>Camera events: receiving</source>
        <translation>Sự kiện camera: đang nhận</translation>
    </message>
    <message>
        <source>Camera events: slow, retrying</source>
        <translation>Sự kiện camera: chậm, đang thử lại</translation>
    </message>
    <message>
        <source>Camera events: lost</source>
        <translation>Sự kiện camera: mất kết nối</translation>
    </message>
    <message>
        <source>Camera events: login refused, retries stopped</source>
        <translation>Sự kiện camera: camera từ chối đăng nhập, đã dừng thử lại</translation>
    </message>
    <message>
        <source>Camera events: off</source>
        <translation>Sự kiện camera: tắt</translation>
    </message>
    <message>
        <source>Camera {camera}: PTZ command failed: {reason}</source>
        <translation>Camera {camera}: lệnh PTZ không thực hiện được: {reason}</translation>
    </message>
    <message>
        <source>End PTZ control</source>
        <translation>Thôi điều khiển PTZ</translation>
    </message>
    <message>
        <source>PTZ control</source>
        <translation>Điều khiển PTZ</translation>
    </message>
    <message>
        <source>Presets…</source>
        <translation>Vị trí đặt sẵn…</translation>
    </message>
    <message>
        <source>Sync the camera&apos;s clock</source>
        <translation>Đồng bộ giờ camera</translation>
    </message>
    <message>
        <source>Camera {camera}: clock set ({offset})</source>
        <translation>Camera {camera}: đã đồng bộ giờ ({offset})</translation>
    </message>
    <message>
        <source>Camera {camera}: the clock could not be set: {reason}</source>
        <translation>Camera {camera}: không đồng bộ được giờ: {reason}</translation>
    </message>
</context>
<context>
    <name>PlacementPage</name>
    <message>
        <source>Site and place on the map</source>
        <translation>Điểm camera và vị trí trên bản đồ</translation>
    </message>
    <message>
        <source>Choose the site, then click the map where each camera stands. Drag the squares on its view to turn it and to widen or narrow its angle.</source>
        <translation>Chọn điểm camera, rồi bấm lên bản đồ tại vị trí của từng camera. Kéo các ô vuông trên vùng quan sát để xoay hướng và mở rộng hoặc thu hẹp góc quan sát.</translation>
    </message>
    <message>
        <source>Name of the new site</source>
        <translation>Tên điểm camera mới</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>New site</source>
        <translation>Điểm camera mới</translation>
    </message>
    <message>
        <source>Each camera at the site chosen for it</source>
        <translation>Mỗi camera ở điểm đã chọn cho nó</translation>
    </message>
    <message>
        <source>New site…</source>
        <translation>Điểm camera mới…</translation>
    </message>
</context>
<context>
    <name>PlateDialog</name>
    <message>
        <source>Read plate</source>
        <translation>Đọc biển số</translation>
    </message>
    <message>
        <source>Read the plate in the box</source>
        <translation>Đọc biển số trong khung</translation>
    </message>
    <message>
        <source>Read the whole picture</source>
        <translation>Đọc cả ảnh</translation>
    </message>
    <message>
        <source>Drag a box around the plate on the picture, or read the whole picture.</source>
        <translation>Kéo chuột vẽ khung quanh biển số trên ảnh, hoặc đọc cả ảnh.</translation>
    </message>
    <message>
        <source>Plate, e.g. 29A-123.45 or 59-B1 234.56</source>
        <translation>Biển số, ví dụ: 29A-123.45 hoặc 59-B1 234.56</translation>
    </message>
    <message>
        <source>Keep with alert no. {number}</source>
        <translation>Lưu kèm cảnh báo số {number}</translation>
    </message>
    <message>
        <source>No incident</source>
        <translation>Không đưa vào vụ việc</translation>
    </message>
    <message>
        <source>No. {number}: {title}</source>
        <translation>Số {number}: {title}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Plate</source>
        <translation>Biển số</translation>
    </message>
    <message>
        <source>Add to incident</source>
        <translation>Đưa vào vụ việc</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>Đang đọc…</translation>
    </message>
    <message>
        <source>Loading the plate reader (the first time takes a few seconds)…</source>
        <translation>Đang nạp bộ đọc biển số (lần đầu mất vài giây)…</translation>
    </message>
    <message>
        <source>The plate could not be read. Try again; if it fails again, tell the administrator.</source>
        <translation>Không đọc được biển số. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.</translation>
    </message>
    <message>
        <source>{plate} ({percent}%)</source>
        <translation>{plate} ({percent}%)</translation>
    </message>
    <message>
        <source>No text could be read there: draw the box closer around the plate, or type the plate.</source>
        <translation>Không đọc được chữ nào ở đó: vẽ khung sát biển số hơn, hoặc tự gõ biển số.</translation>
    </message>
    <message>
        <source>The text read is not a Vietnamese plate: correct it before saving.</source>
        <translation>Chữ đọc được không phải biển số Việt Nam: hãy sửa lại trước khi lưu.</translation>
    </message>
    <message>
        <source>{count} plates found in {ms} ms: choose one.</source>
        <translation>Tìm thấy {count} biển số trong {ms} ms: hãy chọn một.</translation>
    </message>
    <message>
        <source>Read in {ms} ms: check it against the picture.</source>
        <translation>Đã đọc trong {ms} ms: hãy đối chiếu với ảnh.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>The plate could not be saved. Try again; if it fails again, tell the administrator.</source>
        <translation>Không lưu được biển số. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.</translation>
    </message>
    <message>
        <source>alert no. {number}</source>
        <translation>cảnh báo số {number}</translation>
    </message>
    <message>
        <source>incident no. {number}</source>
        <translation>vụ việc số {number}</translation>
    </message>
    <message>
        <source>Plate {plate} saved with {places}.</source>
        <translation>Đã lưu biển số {plate} vào {places}.</translation>
    </message>
    <message>
        <source>Vietnamese plate: {plate}</source>
        <translation>Biển số Việt Nam: {plate}</translation>
    </message>
    <message>
        <source>Not a Vietnamese plate&apos;s layout: it is saved as typed.</source>
        <translation>Không đúng mẫu biển số Việt Nam: sẽ lưu đúng như đã gõ.</translation>
    </message>
</context>
<context>
    <name>PlaybackBookmarks</name>
    <message>
        <source>Bookmark…</source>
        <translation>Đánh dấu…</translation>
    </message>
    <message>
        <source>Name, tags and a note on the recording around this moment ({key})</source>
        <translation>Đặt tên, nhãn và ghi chú cho đoạn ghi hình quanh thời điểm này ({key})</translation>
    </message>
    <message>
        <source>Bookmarks</source>
        <translation>Danh sách đánh dấu</translation>
    </message>
</context>
<context>
    <name>PlaybackWindow</name>
    <message>
        <source>Playback</source>
        <translation>Xem lại</translation>
    </message>
    <message>
        <source>Playback needs libVLC, which could not be loaded.</source>
        <translation>Chức năng xem lại cần libVLC nhưng không nạp được.</translation>
    </message>
    <message>
        <source>{camera} (not recorded)</source>
        <translation>{camera} (không ghi hình)</translation>
    </message>
    <message>
        <source>Days recorded…</source>
        <translation>Ngày có bản ghi…</translation>
    </message>
    <message>
        <source>Days with recording of this camera are marked</source>
        <translation>Những ngày có bản ghi của camera này được đánh dấu</translation>
    </message>
    <message>
        <source>Go</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Time (UTC+7)</source>
        <translation>Thời gian (UTC+7)</translation>
    </message>
    <message>
        <source>Add camera (synchronized)</source>
        <translation>Thêm camera (xem đồng bộ)</translation>
    </message>
    <message>
        <source>Play up to {count} more cameras on this clock</source>
        <translation>Xem lại thêm tối đa {count} camera cùng thời điểm</translation>
    </message>
    <message>
        <source>Recorder</source>
        <translation>Đầu ghi</translation>
    </message>
    <message>
        <source>This picture is the station&apos;s recorder&apos;s playback, not the console&apos;s own recording</source>
        <translation>Hình này được xem lại từ đầu ghi của trạm, không phải từ bản ghi của phần mềm</translation>
    </message>
    <message>
        <source>◀◀ Previous alert</source>
        <translation>◀◀ Cảnh báo trước</translation>
    </message>
    <message>
        <source>◀| Frame back</source>
        <translation>◀| Lùi một khung hình</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Tạm dừng</translation>
    </message>
    <message>
        <source>|▶ Frame forward</source>
        <translation>|▶ Tiến một khung hình</translation>
    </message>
    <message>
        <source>Next alert ▶▶</source>
        <translation>Cảnh báo sau ▶▶</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Chụp ảnh</translation>
    </message>
    <message>
        <source>Export evidence…</source>
        <translation>Trích xuất chứng cứ…</translation>
    </message>
    <message>
        <source>Download from recorder…</source>
        <translation>Tải từ đầu ghi…</translation>
    </message>
    <message>
        <source>Two minutes around the moment shown, by the recorder&apos;s own file download, exported as evidence</source>
        <translation>Hai phút quanh thời điểm đang xem, tải bằng chức năng tải tệp của đầu ghi rồi trích xuất làm chứng cứ</translation>
    </message>
    <message>
        <source>Find motion…</source>
        <translation>Tìm chuyển động…</translation>
    </message>
    <message>
        <source>Read plate…</source>
        <translation>Đọc biển số…</translation>
    </message>
    <message>
        <source>New incident here</source>
        <translation>Vụ việc mới tại đây</translation>
    </message>
    <message>
        <source>Open an incident on this camera at the moment shown, with a minute of recording either side</source>
        <translation>Mở một vụ việc trên camera này tại thời điểm đang xem, kèm một phút ghi hình trước và sau</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <source>Nothing recorded from camera {camera} at or after {time}.</source>
        <translation>Camera {camera} không có bản ghi từ {time} trở đi.</translation>
    </message>
    <message>
        <source>Nothing recorded at {asked}: showing the next recording, from {start}.</source>
        <translation>Không có bản ghi lúc {asked}: đang phát bản ghi kế tiếp, từ {start}.</translation>
    </message>
    <message>
        <source>Playing from recorder {recorder}.</source>
        <translation>Đang xem lại từ đầu ghi {recorder}.</translation>
    </message>
    <message>
        <source>The speeds recorder {recorder} plays back at</source>
        <translation>Các tốc độ xem lại của đầu ghi {recorder}</translation>
    </message>
    <message>
        <source>Camera {camera} is on no recorder.</source>
        <translation>Camera {camera} không thuộc đầu ghi nào.</translation>
    </message>
    <message>
        <source>Download from recorder</source>
        <translation>Tải từ đầu ghi</translation>
    </message>
    <message>
        <source>Nothing recorded after {time}.</source>
        <translation>Không có bản ghi sau {time}.</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Phát</translation>
    </message>
    <message>
        <source>No later alert on this camera.</source>
        <translation>Không có cảnh báo nào sau đó trên camera này.</translation>
    </message>
    <message>
        <source>No earlier alert on this camera.</source>
        <translation>Không có cảnh báo nào trước đó trên camera này.</translation>
    </message>
    <message>
        <source>Snapshot saved: {path}</source>
        <translation>Đã lưu ảnh chụp: {path}</translation>
    </message>
    <message>
        <source>Could not take a snapshot.</source>
        <translation>Không chụp được ảnh.</translation>
    </message>
    <message>
        <source>Incident no. {number} opened in the Incidents panel.</source>
        <translation>Đã mở vụ việc số {number} trong bảng Vụ việc.</translation>
    </message>
    <message>
        <source>At most {count} more cameras play in sync.</source>
        <translation>Chỉ xem đồng bộ thêm được tối đa {count} camera.</translation>
    </message>
</context>
<context>
    <name>PresetsPanel</name>
    <message>
        <source>Presets — {camera}</source>
        <translation>Vị trí đặt sẵn — {camera}</translation>
    </message>
    <message>
        <source>Go to</source>
        <translation>Đi đến</translation>
    </message>
    <message>
        <source>Save the current view…</source>
        <translation>Lưu góc nhìn hiện tại…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Đổi tên…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>Reading the presets…</source>
        <translation>Đang đọc các vị trí đặt sẵn…</translation>
    </message>
    <message>
        <source>Turning to {name}…</source>
        <translation>Đang quay về {name}…</translation>
    </message>
    <message>
        <source>The camera turns to the preset to save it under its new name…</source>
        <translation>Camera quay về vị trí đặt sẵn để lưu với tên mới…</translation>
    </message>
    <message>
        <source>Save the current view</source>
        <translation>Lưu góc nhìn hiện tại</translation>
    </message>
    <message>
        <source>Preset name</source>
        <translation>Tên vị trí đặt sẵn</translation>
    </message>
    <message>
        <source>Rename the preset</source>
        <translation>Đổi tên vị trí đặt sẵn</translation>
    </message>
    <message>
        <source>The camera&apos;s PTZ is not connected.</source>
        <translation>Chưa kết nối được PTZ của camera.</translation>
    </message>
    <message>
        <source>The camera did not answer.</source>
        <translation>Camera không trả lời.</translation>
    </message>
    <message>
        <source>{count} presets</source>
        <translation>{count} vị trí đặt sẵn</translation>
    </message>
    <message>
        <source>This camera has no named preset yet.</source>
        <translation>Camera này chưa có vị trí đặt sẵn nào được đặt tên.</translation>
    </message>
</context>
<context>
    <name>ProvinceAlertModel</name>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>ProvinceMap</name>
    <message>
        <source>The map pack {file} does not exist.</source>
        <translation>Không có gói bản đồ {file}.</translation>
    </message>
    <message>
        <source>The map pack {file} cannot be read: it is not a usable MBTiles file.</source>
        <translation>Không đọc được gói bản đồ {file}: tệp này không phải gói bản đồ MBTiles dùng được.</translation>
    </message>
    <message>
        <source>Part of the base map could not be drawn:</source>
        <translation>Không vẽ được một phần bản đồ nền:</translation>
    </message>
</context>
<context>
    <name>ProvinceProblem</name>
    <message>
        <source>The province window cannot open</source>
        <translation>Không mở được cửa sổ trung tâm tỉnh</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>The province&apos;s database {file} cannot be opened: {reason}</source>
        <translation>Không mở được cơ sở dữ liệu của tỉnh {file}: {reason}</translation>
    </message>
</context>
<context>
    <name>ProvinceReport</name>
    <message>
        <source>Province daily report on security cameras and alerts</source>
        <translation>Báo cáo ngày của tỉnh về camera an ninh và cảnh báo</translation>
    </message>
    <message>
        <source>Day {day} (UTC+7)</source>
        <translation>Ngày {day} (UTC+7)</translation>
    </message>
    <message>
        <source>Communes: {count} ({online} online, {offline} offline, {unknown} not heard from)</source>
        <translation>Số xã: {count} ({online} đang hoạt động, {offline} mất kết nối, {unknown} chưa có tin)</translation>
    </message>
    <message>
        <source>Cameras down now: {count}</source>
        <translation>Camera đang mất kết nối: {count}</translation>
    </message>
    <message>
        <source>Alerts not yet acknowledged now: {count}</source>
        <translation>Cảnh báo chưa xác nhận hiện nay: {count}</translation>
    </message>
    <message>
        <source>Alerts of the day: {count}</source>
        <translation>Cảnh báo trong ngày: {count}</translation>
    </message>
    <message>
        <source>Communes</source>
        <translation>Các xã</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Alerts of the day</source>
        <translation>Cảnh báo trong ngày</translation>
    </message>
    <message>
        <source>By kind</source>
        <translation>Theo loại</translation>
    </message>
    <message>
        <source>Alerts by kind</source>
        <translation>Cảnh báo theo loại</translation>
    </message>
    <message>
        <source>No alert was received for this day.</source>
        <translation>Không nhận được cảnh báo nào trong ngày này.</translation>
    </message>
    <message>
        <source>Every alert of the day</source>
        <translation>Tất cả cảnh báo trong ngày</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>… and {count} more alerts, counted above</source>
        <translation>… và {count} cảnh báo nữa, đã tính ở trên</translation>
    </message>
    <message>
        <source>Made {time} (UTC+7)</source>
        <translation>Lập lúc {time} (UTC+7)</translation>
    </message>
</context>
<context>
    <name>ProvinceWindow</name>
    <message>
        <source>Province centre — security camera monitoring</source>
        <translation>Trung tâm tỉnh — giám sát camera an ninh</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Counts per day</source>
        <translation>Số lượng theo ngày</translation>
    </message>
    <message>
        <source>Snapshot requests</source>
        <translation>Ảnh chụp theo yêu cầu</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Báo cáo</translation>
    </message>
    <message>
        <source>Report day</source>
        <translation>Ngày báo cáo</translation>
    </message>
    <message>
        <source>Daily report (PDF)…</source>
        <translation>Báo cáo ngày (PDF)…</translation>
    </message>
    <message>
        <source>The province&apos;s store could not be read: {reason}</source>
        <translation>Không đọc được kho dữ liệu của tỉnh: {reason}</translation>
    </message>
    <message>
        <source>{online} of {count} communes online · {offline} offline · {down} cameras down · {waiting} unacknowledged alerts</source>
        <translation>{online}/{count} xã đang hoạt động · {offline} mất kết nối · {down} camera mất kết nối · {waiting} cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>Province broker: connected since {time}</source>
        <translation>Máy chủ MQTT của tỉnh: đã kết nối từ {time}</translation>
    </message>
    <message>
        <source>Province broker: not connected since {time} ({problem})</source>
        <translation>Máy chủ MQTT của tỉnh: mất kết nối từ {time} ({problem})</translation>
    </message>
    <message>
        <source>Province broker: not connected since {time}</source>
        <translation>Máy chủ MQTT của tỉnh: mất kết nối từ {time}</translation>
    </message>
    <message>
        <source>Save the daily report</source>
        <translation>Lưu báo cáo ngày</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the daily report…</source>
        <translation>Đang lập báo cáo ngày…</translation>
    </message>
    <message>
        <source>Report saved: {path} ({pages} pages)</source>
        <translation>Đã lưu báo cáo: {path} ({pages} trang)</translation>
    </message>
    <message>
        <source>The daily report could not be written: {reason}</source>
        <translation>Không lập được báo cáo ngày: {reason}</translation>
    </message>
</context>
<context>
    <name>ProvinceWords</name>
    <message>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <source>Unacknowledged alerts</source>
        <translation>Cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>Cameras down</source>
        <translation>Camera mất kết nối</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>No news yet</source>
        <translation>Chưa có tin</translation>
    </message>
    <message>
        <source>Offline since {time}</source>
        <translation>Mất kết nối từ {time}</translation>
    </message>
    <message>
        <source>{count} cameras down</source>
        <translation>{count} camera mất kết nối</translation>
    </message>
    <message>
        <source>{count} unacknowledged alerts</source>
        <translation>{count} cảnh báo chưa xác nhận</translation>
    </message>
    <message>
        <source>{count} messages still to send to the province</source>
        <translation>{count} tin còn chờ gửi về tỉnh</translation>
    </message>
    <message>
        <source>Not listed in the province file</source>
        <translation>Không có trong tệp danh sách của tỉnh</translation>
    </message>
</context>
<context>
    <name>RecorderHealth</name>
    <message>
        <source>Recorder {recorder} event channel: connecting…</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Đang kết nối…</translation>
    </message>
    <message>
        <source>Recorder {recorder} event channel: live</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Hoạt động</translation>
    </message>
    <message>
        <source>Recorder {recorder} event channel: slow since {time}, reconnecting…</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Chậm từ {time}, đang kết nối lại…</translation>
    </message>
    <message>
        <source>Recorder {recorder} event channel: lost since {time}</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Mất từ {time}</translation>
    </message>
    <message>
        <source>Recorder {recorder} event channel: lost since {time}, the recorder refused the login (not tried again until the password is corrected)</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Mất từ {time}, đầu ghi từ chối đăng nhập (không thử lại cho đến khi sửa mật khẩu)</translation>
    </message>
    <message>
        <source>Recorder {recorder} event channel: off</source>
        <translation>Kênh sự kiện của đầu ghi {recorder}: Tắt</translation>
    </message>
    <message>
        <source>Recorder {recorder}: its events are not taken</source>
        <translation>Đầu ghi {recorder}: không nhận sự kiện</translation>
    </message>
    <message>
        <source>Recorder {recorder}: last error: {reason}</source>
        <translation>Đầu ghi {recorder}: lỗi gần nhất: {reason}</translation>
    </message>
    <message>
        <source>UTC</source>
        <translation>UTC</translation>
    </message>
    <message>
        <source>local time written as UTC</source>
        <translation>giờ địa phương ghi như giờ UTC</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>giờ địa phương</translation>
    </message>
    <message>
        <source>Recorder {recorder}: clock not read yet</source>
        <translation>Đầu ghi {recorder}: chưa đọc giờ</translation>
    </message>
    <message>
        <source>Recorder {recorder}: clock not read: {reason}</source>
        <translation>Đầu ghi {recorder}: chưa đọc được giờ: {reason}</translation>
    </message>
    <message>
        <source>Recorder {recorder}: {offset}; time mode {mode}, zone {zone} (from the site file)</source>
        <translation>Đầu ghi {recorder}: {offset}; chế độ giờ {mode}, múi giờ {zone} (theo tệp cấu hình)</translation>
    </message>
    <message>
        <source>Recorder {recorder}: {offset}; time mode {mode}, zone {zone} (read from the recorder)</source>
        <translation>Đầu ghi {recorder}: {offset}; chế độ giờ {mode}, múi giờ {zone} (đọc từ đầu ghi)</translation>
    </message>
</context>
<context>
    <name>RecorderIndicator</name>
    <message>
        <source>Recorders: events not taken</source>
        <translation>Đầu ghi: không nhận sự kiện</translation>
    </message>
    <message>
        <source>Recorders: {live}/{count} live, {lost} lost</source>
        <translation>Đầu ghi: {live}/{count} hoạt động, {lost} mất kênh sự kiện</translation>
    </message>
    <message>
        <source>Recorders: {live}/{count} live</source>
        <translation>Đầu ghi: {live}/{count} hoạt động</translation>
    </message>
</context>
<context>
    <name>RecorderPage</name>
    <message>
        <source>Import a recorder&apos;s channels</source>
        <translation>Nhập kênh từ đầu ghi</translation>
    </message>
    <message>
        <source>Each ticked channel of the recorder (NVR) becomes a camera whose live view comes from the recorder. The login is kept in the credentials store, never in the site file.</source>
        <translation>Mỗi kênh được đánh dấu của đầu ghi (NVR) trở thành một camera xem trực tiếp qua đầu ghi. Thông tin đăng nhập được giữ trong kho mật khẩu, không bao giờ ghi vào tệp cấu hình điểm.</translation>
    </message>
    <message>
        <source>Read the channels</source>
        <translation>Đọc danh sách kênh</translation>
    </message>
    <message>
        <source>Maker</source>
        <translation>Hãng sản xuất</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>HTTP port</source>
        <translation>Cổng HTTP</translation>
    </message>
    <message>
        <source>RTSP port</source>
        <translation>Cổng RTSP</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Cổng</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Site for every channel</source>
        <translation>Điểm cho mọi kênh</translation>
    </message>
    <message>
        <source>Not a recorder address and ports: {host} / {http_port} / {rtsp_port}</source>
        <translation>Địa chỉ và cổng của đầu ghi không hợp lệ: {host} / {http_port} / {rtsp_port}</translation>
    </message>
    <message>
        <source>Reading the channels of recorder {address}…</source>
        <translation>Đang đọc danh sách kênh của đầu ghi {address}…</translation>
    </message>
    <message>
        <source>Recorder {address} ({model}): {count} channels.</source>
        <translation>Đầu ghi {address} ({model}): {count} kênh.</translation>
    </message>
</context>
<context>
    <name>RecorderSide</name>
    <message>
        <source>Recorder {recorder} does not play camera {camera} at {speed} ({detail}): it goes on at {current}.</source>
        <translation>Đầu ghi {recorder} không phát lại camera {camera} ở tốc độ {speed} ({detail}): vẫn phát ở tốc độ {current}.</translation>
    </message>
    <message>
        <source>Recorder {recorder} refused to move camera {camera}&apos;s playback ({detail}).</source>
        <translation>Đầu ghi {recorder} từ chối chuyển vị trí xem lại của camera {camera} ({detail}).</translation>
    </message>
    <message>
        <source>the recorder refused the login (wrong user name or password)</source>
        <translation>đầu ghi từ chối đăng nhập (sai tên đăng nhập hoặc mật khẩu)</translation>
    </message>
    <message>
        <source>the recorder&apos;s account may not play back</source>
        <translation>tài khoản trên đầu ghi không có quyền xem lại</translation>
    </message>
    <message>
        <source>the playback stopped ({detail})</source>
        <translation>việc xem lại bị ngắt ({detail})</translation>
    </message>
    <message>
        <source>Recorder {recorder} could not play camera {camera}: {reason}</source>
        <translation>Đầu ghi {recorder} không xem lại được camera {camera}: {reason}</translation>
    </message>
    <message>
        <source>Recorder {recorder} (camera {camera}): {reason}</source>
        <translation>Đầu ghi {recorder} (camera {camera}): {reason}</translation>
    </message>
</context>
<context>
    <name>RecorderView</name>
    <message>
        <source>Recorder {recorder}: {vendor}, {address}</source>
        <translation>Đầu ghi {recorder}: {vendor}, {address}</translation>
    </message>
    <message>
        <source>Recorder {recorder}: event channel lost, the events of its cameras do not arrive</source>
        <translation>Đầu ghi {recorder}: mất kênh sự kiện, không nhận được sự kiện của các camera trên đầu ghi</translation>
    </message>
    <message>
        <source>Recorder {recorder}: event channel live again</source>
        <translation>Đầu ghi {recorder}: kênh sự kiện hoạt động trở lại</translation>
    </message>
</context>
<context>
    <name>RecordingCalendar</name>
    <message>
        <source>On the recorder</source>
        <translation>Có trên đầu ghi</translation>
    </message>
</context>
<context>
    <name>RecordingDeleteDialog</name>
    <message>
        <source>Delete recordings</source>
        <translation>Xóa ghi hình</translation>
    </message>
    <message>
        <source>Why these recordings are deleted (kept in the audit trail)</source>
        <translation>Lý do xóa ghi hình (được lưu trong nhật ký thao tác)</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Từ</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Đến</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <source>“From” must be before “To”.</source>
        <translation>“Từ” phải trước “Đến”.</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>Đang đếm…</translation>
    </message>
    <message>
        <source>The recordings could not be read: {reason}</source>
        <translation>Không đọc được ghi hình: {reason}</translation>
    </message>
    <message>
        <source>{files} recording files ({size:.1f} MB) will be deleted.</source>
        <translation>Sẽ xóa {files} tệp ghi hình ({size:.1f} MB).</translation>
    </message>
    <message>
        <source>Nothing in this range can be deleted.</source>
        <translation>Không có ghi hình nào trong khoảng này có thể xóa.</translation>
    </message>
    <message>
        <source>{count} kept: they hold an unacknowledged alert, an export being written or a clip of an incident</source>
        <translation>Giữ lại {count}: chứa cảnh báo chưa xác nhận, bản trích xuất đang ghi hoặc đoạn ghi hình của vụ việc</translation>
    </message>
    <message>
        <source>{count} kept: they reach outside the range</source>
        <translation>Giữ lại {count}: vượt ra ngoài khoảng thời gian</translation>
    </message>
    <message>
        <source>{count} kept: still being recorded</source>
        <translation>Giữ lại {count}: đang ghi hình</translation>
    </message>
    <message>
        <source>Write the reason for deleting these recordings.</source>
        <translation>Hãy ghi lý do xóa ghi hình.</translation>
    </message>
    <message>
        <source>Delete {files} recording files of {camera}? This cannot be undone.</source>
        <translation>Xóa {files} tệp ghi hình của {camera}? Không thể hoàn tác.</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>Đang xóa…</translation>
    </message>
    <message>
        <source>{files} recording files ({size:.1f} MB) deleted.</source>
        <translation>Đã xóa {files} tệp ghi hình ({size:.1f} MB).</translation>
    </message>
    <message>
        <source>The recordings could not be deleted: {reason}</source>
        <translation>Không xóa được ghi hình: {reason}</translation>
    </message>
</context>
<context>
    <name>RenameForm</name>
    <message>
        <source>Edit full name</source>
        <translation>Sửa họ tên</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <source>Id</source>
        <translation>Mã</translation>
    </message>
    <message>
        <source>Start (UTC+7)</source>
        <translation>Bắt đầu (UTC+7)</translation>
    </message>
    <message>
        <source>End (UTC+7)</source>
        <translation>Kết thúc (UTC+7)</translation>
    </message>
    <message>
        <source>Start (UTC)</source>
        <translation>Bắt đầu (UTC)</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Điểm camera</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <source>Acknowledged at (UTC+7)</source>
        <translation>Thời điểm xác nhận (UTC+7)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Snapshot</source>
        <translation>Ảnh chụp</translation>
    </message>
    <message>
        <source>Shift handover report</source>
        <translation>Báo cáo giao ca</translation>
    </message>
    <message>
        <source>Shift from {start} to {end} (UTC+7)</source>
        <translation>Ca trực từ {start} đến {end} (UTC+7)</translation>
    </message>
    <message>
        <source>Officer handing over</source>
        <translation>Người giao ca</translation>
    </message>
    <message>
        <source>Officer taking over</source>
        <translation>Người nhận ca</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Số cảnh báo</translation>
    </message>
    <message>
        <source>Alerts by kind</source>
        <translation>Cảnh báo theo loại</translation>
    </message>
    <message>
        <source>Alerts by site</source>
        <translation>Cảnh báo theo điểm</translation>
    </message>
    <message>
        <source>Alerts by state</source>
        <translation>Cảnh báo theo trạng thái</translation>
    </message>
    <message>
        <source>Every alert</source>
        <translation>Danh sách cảnh báo</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>Ảnh</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <source>Printed {date} (UTC+7)</source>
        <translation>In lúc {date} (UTC+7)</translation>
    </message>
</context>
<context>
    <name>ResetPasswordForm</name>
    <message>
        <source>Reset password</source>
        <translation>Đặt lại mật khẩu</translation>
    </message>
    <message>
        <source>At least {count} characters</source>
        <translation>Ít nhất {count} ký tự</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Mật khẩu mới</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Nhập lại mật khẩu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>SiteDialog</name>
    <message>
        <source>New site</source>
        <translation>Điểm camera mới</translation>
    </message>
    <message>
        <source>Site {site}</source>
        <translation>Điểm camera {site}</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Lưu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Tên</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Địa chỉ</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <source>Click the map where the site is.</source>
        <translation>Bấm lên bản đồ tại vị trí của điểm camera.</translation>
    </message>
</context>
<context>
    <name>SnapshotRequestPane</name>
    <message>
        <source>the commune has no such camera.</source>
        <translation>xã không có camera này.</translation>
    </message>
    <message>
        <source>the camera is offline at the commune.</source>
        <translation>camera đang mất kết nối tại xã.</translation>
    </message>
    <message>
        <source>the commune has no live picture of this camera right now.</source>
        <translation>xã hiện không có hình ảnh trực tiếp của camera này.</translation>
    </message>
    <message>
        <source>the commune does not allow this request.</source>
        <translation>xã không cho phép yêu cầu này.</translation>
    </message>
    <message>
        <source>asked too often: wait a few seconds and ask again.</source>
        <translation>yêu cầu quá dày: chờ vài giây rồi yêu cầu lại.</translation>
    </message>
    <message>
        <source>the commune could not read the request.</source>
        <translation>xã không đọc được yêu cầu.</translation>
    </message>
    <message>
        <source>the commune&apos;s console does not answer snapshot requests.</source>
        <translation>phần mềm giám sát của xã không nhận yêu cầu ảnh chụp.</translation>
    </message>
    <message>
        <source>refused ({reason}).</source>
        <translation>bị từ chối ({reason}).</translation>
    </message>
    <message>
        <source>Request a snapshot</source>
        <translation>Yêu cầu ảnh chụp</translation>
    </message>
    <message>
        <source>Choose a commune&apos;s camera and request a snapshot.</source>
        <translation>Chọn một camera của xã rồi bấm Yêu cầu ảnh chụp.</translation>
    </message>
    <message>
        <source>Snapshot requests are not available here.</source>
        <translation>Không thể yêu cầu ảnh chụp tại đây.</translation>
    </message>
    <message>
        <source>Commune</source>
        <translation>Xã</translation>
    </message>
    <message>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>working</source>
        <translation>đang hoạt động</translation>
    </message>
    <message>
        <source>{camera} — {state}</source>
        <translation>{camera} — {state}</translation>
    </message>
    <message>
        <source>Asking {commune} for a picture of camera {camera}…</source>
        <translation>Đang yêu cầu {commune} gửi ảnh chụp camera {camera}…</translation>
    </message>
    <message>
        <source>The picture of camera {camera} ({commune}) could not be read.</source>
        <translation>Không đọc được ảnh chụp camera {camera} ({commune}).</translation>
    </message>
    <message>
        <source>Camera {camera} ({commune}), taken at {time}</source>
        <translation>Camera {camera} ({commune}), chụp lúc {time}</translation>
    </message>
    <message>
        <source>{commune} did not send a picture of camera {camera}: {reason}</source>
        <translation>{commune} không gửi ảnh chụp camera {camera}: {reason}</translation>
    </message>
    <message>
        <source>The request for camera {camera} ({commune}) was not sent: the province is not connected to its broker.</source>
        <translation>Chưa gửi được yêu cầu ảnh chụp camera {camera} ({commune}): chưa kết nối được máy chủ MQTT của tỉnh.</translation>
    </message>
    <message>
        <source>{commune} did not answer the request for camera {camera} in time. Ask again later.</source>
        <translation>{commune} không trả lời yêu cầu ảnh chụp camera {camera} trong thời gian chờ. Hãy yêu cầu lại sau.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>The camera refused the connection</source>
        <translation>Camera từ chối kết nối</translation>
    </message>
    <message>
        <source>Wrong user name or password</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu</translation>
    </message>
    <message>
        <source>The camera has no such stream</source>
        <translation>Camera không có luồng video này</translation>
    </message>
    <message>
        <source>The camera does not answer</source>
        <translation>Camera không phản hồi</translation>
    </message>
    <message>
        <source>The camera closed the connection</source>
        <translation>Camera đã ngắt kết nối</translation>
    </message>
    <message>
        <source>The camera sent invalid data</source>
        <translation>Dữ liệu từ camera không hợp lệ</translation>
    </message>
    <message>
        <source>The stream has no video</source>
        <translation>Luồng không có hình</translation>
    </message>
    <message>
        <source>Connection error</source>
        <translation>Lỗi kết nối</translation>
    </message>
    <message>
        <source>Received over RTP (pictures one frame sooner)</source>
        <translation>Nhận hình qua RTP (sớm hơn một khung hình)</translation>
    </message>
    <message>
        <source>Received by FFmpeg: the RTP path cannot play this stream ({reason})</source>
        <translation>Nhận hình qua FFmpeg: đường RTP không phát được luồng này ({reason})</translation>
    </message>
    <message>
        <source>Received by FFmpeg (ingest = &quot;ffmpeg&quot; in the site file)</source>
        <translation>Nhận hình qua FFmpeg (tệp cấu hình đặt ingest = &quot;ffmpeg&quot;)</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <source>Last picture {age} s ago</source>
        <translation>Hình cuối cách đây {age} giây</translation>
    </message>
    <message>
        <source>Frozen picture</source>
        <translation>Hình bị đứng</translation>
    </message>
    <message>
        <source>Whole site offline</source>
        <translation>Mất kết nối toàn điểm</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Mất kết nối</translation>
    </message>
    <message>
        <source>Lost for {time}</source>
        <translation>Đã mất kết nối {time}</translation>
    </message>
    <message>
        <source>Wrong user name or password — stopped trying so the camera does not lock the account</source>
        <translation>Sai tên đăng nhập hoặc mật khẩu — đã ngừng thử để tránh khóa tài khoản camera</translation>
    </message>
    <message>
        <source>Right-click → Retry</source>
        <translation>Nhấp chuột phải → Thử lại</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Đang kết nối lại…</translation>
    </message>
    <message>
        <source>Reconnecting in {seconds} s</source>
        <translation>Kết nối lại sau {seconds} giây</translation>
    </message>
    <message>
        <source>Not connected yet</source>
        <translation>Chưa kết nối</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Đang hoạt động</translation>
    </message>
</context>
<context>
    <name>StreamTestPage</name>
    <message>
        <source>Test the streams</source>
        <translation>Kiểm tra luồng video</translation>
    </message>
    <message>
        <source>Each stream is opened as the live view opens it. A stream that fails can still be saved (a camera switched off today), but check its address first.</source>
        <translation>Mỗi luồng được mở như khi xem trực tiếp. Luồng không mở được vẫn có thể lưu (camera đang tắt), nhưng hãy kiểm tra lại địa chỉ trước.</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Luồng</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>Chuẩn nén</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Tốc độ khung hình</translation>
    </message>
    <message>
        <source>Bit rate</source>
        <translation>Tốc độ bit</translation>
    </message>
    <message>
        <source>First picture</source>
        <translation>Hình đầu tiên</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <source>Main stream</source>
        <translation>Luồng chính</translation>
    </message>
    <message>
        <source>Sub stream</source>
        <translation>Luồng phụ</translation>
    </message>
    <message>
        <source>Testing {count} streams…</source>
        <translation>Đang kiểm tra {count} luồng…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <source>Works</source>
        <translation>Hoạt động tốt</translation>
    </message>
    <message>
        <source>{ok} of {count} streams work.</source>
        <translation>{ok}/{count} luồng hoạt động tốt.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>On the recorder</source>
        <translation>Có trên đầu ghi</translation>
    </message>
    <message>
        <source>Motion found here</source>
        <translation>Có chuyển động ở đây</translation>
    </message>
</context>
<context>
    <name>Units</name>
    <message>
        <source>{name} ward police</source>
        <translation>Công an phường {name}</translation>
    </message>
    <message>
        <source>{name} township police</source>
        <translation>Công an thị trấn {name}</translation>
    </message>
    <message>
        <source>{name} commune police</source>
        <translation>Công an xã {name}</translation>
    </message>
    <message>
        <source>{name} district police</source>
        <translation>Công an huyện {name}</translation>
    </message>
</context>
<context>
    <name>UplinkPage</name>
    <message>
        <source>Province link</source>
        <translation>Kết nối tỉnh</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <source>Written (UTC+7)</source>
        <translation>Thời điểm ghi (UTC+7)</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Chủ đề</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <source>Reading the messages waiting…</source>
        <translation>Đang đọc các tin chờ gửi…</translation>
    </message>
    <message>
        <source>The messages waiting could not be read: {reason}</source>
        <translation>Không đọc được các tin chờ gửi: {reason}</translation>
    </message>
    <message>
        <source>{count} messages wait for the province&apos;s receipt.</source>
        <translation>{count} tin đang chờ tỉnh xác nhận đã nhận.</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>Người dùng</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Vai trò</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>Thêm người dùng…</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Đổi vai trò</translation>
    </message>
    <message>
        <source>Edit full name…</source>
        <translation>Sửa họ tên…</translation>
    </message>
    <message>
        <source>Lock account</source>
        <translation>Khóa tài khoản</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Đặt lại mật khẩu…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Reading the users…</source>
        <translation>Đang đọc danh sách người dùng…</translation>
    </message>
    <message>
        <source>Duty officer</source>
        <translation>Cán bộ trực ban</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Quản trị viên</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Đã khóa</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Đã đặt</translation>
    </message>
    <message>
        <source>No password yet</source>
        <translation>Chưa có mật khẩu</translation>
    </message>
    <message>
        <source>The repeated password does not match.</source>
        <translation>Mật khẩu nhập lại không khớp.</translation>
    </message>
    <message>
        <source>User {login} added.</source>
        <translation>Đã thêm người dùng {login}.</translation>
    </message>
    <message>
        <source>There is no user {login}.</source>
        <translation>Không có người dùng {login}.</translation>
    </message>
    <message>
        <source>Account {login} locked.</source>
        <translation>Đã khóa tài khoản {login}.</translation>
    </message>
    <message>
        <source>Account {login} unlocked.</source>
        <translation>Đã mở khóa tài khoản {login}.</translation>
    </message>
    <message>
        <source>The role of {login} is now {role}.</source>
        <translation>Vai trò của {login} nay là {role}.</translation>
    </message>
    <message>
        <source>Full name of {login} changed.</source>
        <translation>Đã sửa họ tên của {login}.</translation>
    </message>
    <message>
        <source>Password of {login} reset.</source>
        <translation>Đã đặt lại mật khẩu của {login}.</translation>
    </message>
    <message>
        <source>Wait: the previous change is still being saved.</source>
        <translation>Xin chờ: thay đổi trước đang được lưu.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Đang lưu…</translation>
    </message>
    <message>
        <source>The users could not be read or saved. The details are in the console&apos;s log file.</source>
        <translation>Không đọc hoặc lưu được danh sách người dùng. Chi tiết xem trong tệp nhật ký của phần mềm.</translation>
    </message>
    <message>
        <source>Unlock account</source>
        <translation>Mở khóa tài khoản</translation>
    </message>
</context>
<context>
    <name>VideoIntakeDialog</name>
    <message>
        <source>Receive a video from citizens</source>
        <translation>Tiếp nhận video từ người dân</translation>
    </message>
    <message>
        <source>For incident no. {number}: {title}</source>
        <translation>Cho vụ việc số {number}: {title}</translation>
    </message>
    <message>
        <source>Choose the video file, or drop it here</source>
        <translation>Chọn tệp video, hoặc kéo thả tệp vào đây</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>Chọn tệp…</translation>
    </message>
    <message>
        <source>Full name (required)</source>
        <translation>Họ và tên (bắt buộc)</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Không bắt buộc</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>Đã biết</translation>
    </message>
    <message>
        <source>Where they say it was filmed</source>
        <translation>Nơi người cung cấp cho biết đã quay</translation>
    </message>
    <message>
        <source>Receive</source>
        <translation>Tiếp nhận</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <source>Video file</source>
        <translation>Tệp video</translation>
    </message>
    <message>
        <source>Provided by</source>
        <translation>Người cung cấp</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Số điện thoại</translation>
    </message>
    <message>
        <source>ID card number</source>
        <translation>Số CCCD</translation>
    </message>
    <message>
        <source>How it came</source>
        <translation>Hình thức nhận</translation>
    </message>
    <message>
        <source>Claimed time</source>
        <translation>Thời gian theo lời khai</translation>
    </message>
    <message>
        <source>Claimed place</source>
        <translation>Địa điểm theo lời khai</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <source>Choose the citizen&apos;s video</source>
        <translation>Chọn video do người dân cung cấp</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.mov *.3gp *.mkv *.webm *.avi *.ts *.m2ts *.mts *.mpg *.flv *.wmv *.ogv);;All files (*)</source>
        <translation>Tệp video (*.mp4 *.mov *.3gp *.mkv *.webm *.avi *.ts *.m2ts *.mts *.mpg *.flv *.wmv *.ogv);;Mọi tệp (*)</translation>
    </message>
    <message>
        <source>Starting to receive {file}</source>
        <translation>Bắt đầu tiếp nhận tệp {file}</translation>
    </message>
    <message>
        <source>Received {file} into incident no. {number}. SHA-256: {sha256}</source>
        <translation>Đã tiếp nhận tệp {file} vào vụ việc số {number}. Mã băm SHA-256: {sha256}</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <source>Cancelling: removing what was copied…</source>
        <translation>Đang hủy: đang xóa phần đã sao chép…</translation>
    </message>
    <message>
        <source>One file at a time: {file} is chosen; receive the others after it.</source>
        <translation>Mỗi lần một tệp: đã chọn {file}; hãy tiếp nhận các tệp còn lại sau.</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>Latency: {ms} ms</source>
        <translation>Độ trễ: {ms} ms</translation>
    </message>
    <message>
        <source>Drag a camera here</source>
        <translation>Kéo camera vào đây</translation>
    </message>
</context>
<context>
    <name>WedgeBoxes</name>
    <message>
        <source>Bearing</source>
        <translation>Hướng</translation>
    </message>
    <message>
        <source>Angle of view</source>
        <translation>Góc quan sát</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Tầm xa</translation>
    </message>
</context>
</TS>
