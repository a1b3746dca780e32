; Windows installer of the commune camera console (NSIS 3, Unicode). Built by `packaging/build.py installer`
; on Windows after the PyInstaller bundle; compiled in Linux CI with Debian's makensis as a check.
;   makensis /INPUTCHARSET UTF8 /DVERSION=0.1.0 /DBUNDLE_DIR=<dist\camera-console> /DOUTFILE=<setup.exe> camera-console.nsi
; Per machine (Program Files, all users' Start menu), uninstaller registered in Apps & features. The officers'
; data (database, recordings, settings, logs) lives in each user's %LOCALAPPDATA%\camera-console, never here,
; and is kept on uninstall unless "Xóa cả dữ liệu" is ticked (or /PURGE given to a silent uninstall).

Unicode true
; NSIS's official Windows build ships only x86 stubs (a 32-bit installer, fine on 64-bit Windows); Debian's
; makensis also has amd64 stubs, which Debian's wine64 (no 32-bit support) can run: the Linux check uses them.
!ifdef AMD64_STUB
  Target amd64-unicode
!endif
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION missing: /DVERSION=x.y.z"
!endif
!ifndef BUNDLE_DIR
  !error "BUNDLE_DIR missing: the PyInstaller one-folder bundle"
!endif
!ifndef OUTFILE
  !define OUTFILE "camera-console-${VERSION}-windows-x64.exe"  ; not "setup.exe": Windows shims such names
!endif

!define APP_ID "CameraConsole"
!define APP_NAME "Giám sát camera an ninh"
!define PUBLISHER "Phòng Kỹ thuật nghiệp vụ — Công an tỉnh Bắc Ninh"
!define EXE "camera-console.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APP_ID}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APP_NAME} ${VERSION}"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "FileDescription" "Cài đặt ${APP_NAME}"
VIAddVersionKey /LANG=${LANG_VIETNAMESE} "LegalCopyright" "${PUBLISHER}"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Phần mềm cần Windows 64-bit. / A 64-bit Windows is required."
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $LANGUAGE ${LANG_VIETNAMESE}
FunctionEnd

Section "Install"
  SetShellVarContext all
  ; An update replaces the program folder entirely (no stale files); user data is elsewhere.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE_DIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\Gỡ cài đặt ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.Gỡ chương trình" UN_PROGRAM
  SectionIn RO
  SetShellVarContext all
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd

; Unticked by default: the database, recordings and evidence exports of the user running the uninstaller.
Section /o "un.Xóa cả dữ liệu (CSDL, bản ghi, cài đặt) của người dùng này" UN_DATA
  SetShellVarContext current
  RMDir /r "$LOCALAPPDATA\camera-console"
SectionEnd

Function un.onInit
  SetRegView 64
  StrCpy $LANGUAGE ${LANG_VIETNAMESE}
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/PURGE" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${UN_DATA} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
