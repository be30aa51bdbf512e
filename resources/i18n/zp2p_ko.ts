<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../zp2p_gui/ui/about_dialog.py" line="+91"/>
        <source>About zp2p</source>
        <translation>zp2p 정보</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Serverless chat for the local network</source>
        <translation>로컬 네트워크를 위한 서버 없는 채팅</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version:</source>
        <translation>버전:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Protocol version:</source>
        <translation>프로토콜 버전:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licence:</source>
        <translation>라이선스:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Documentation:</source>
        <translation>문서:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MIT License</source>
        <translation>MIT 라이선스</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>README</source>
        <translation>README</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <location filename="../../zp2p_gui/ui/logs.py" line="+65"/>
        <source>Something went wrong: %1</source>
        <translation>문제가 발생했습니다: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details are in the log file.</source>
        <translation>자세한 내용은 로그 파일에 있습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../zp2p_gui/ui/main_window.py" line="+186"/>
        <source>&amp;Nick:</source>
        <translation>닉네임(&amp;N):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>your name</source>
        <translation>이름</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings (%1)</source>
        <translation>설정 (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+7"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>About zp2p (%1)</source>
        <translation>zp2p 정보 (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>About zp2p</source>
        <translation>zp2p 정보</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Send</source>
        <translation>보내기(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type a message — Enter sends, Shift+Enter adds a line</source>
        <translation>메시지 입력 — Enter로 보내기, Shift+Enter로 줄바꿈</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Earlier conversation in %1</source>
        <translation>%1의 이전 대화</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>End of history</source>
        <translation>이전 대화 끝</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Connect</source>
        <translation>연결(&amp;C)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Disconnect</source>
        <translation>연결 끊기(&amp;D)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Members (%1)</source>
        <translation>참여자(&amp;M) (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host: %1</source>
        <translation>호스트: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n member(s)</source>
        <translation>
            <numerusform>참여자 %n명</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RTT %1 ms</source>
        <translation>왕복 %1 ms</translation>
    </message>
</context>
<context>
    <name>MemberList</name>
    <message>
        <location filename="../../zp2p_gui/ui/members.py" line="+57"/>
        <source>(you)</source>
        <translation>(나)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address: %1</source>
        <translation>주소: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Joined at: %1</source>
        <translation>참여 시각: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host of the room</source>
        <translation>방의 호스트</translation>
    </message>
</context>
<context>
    <name>Narrator</name>
    <message>
        <location filename="../../zp2p_gui/ui/narrator.py" line="+47"/>
        <source>Looking for a host on the network…</source>
        <translation>네트워크에서 호스트를 찾는 중…</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Joined the room through the host at %1.</source>
        <translation>%1의 호스트를 통해 방에 참여했습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The room is now hosted at %1.</source>
        <translation>이제 %1에서 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting: %1</source>
        <translation>다시 연결 중: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 runs an old zp2p host that this version cannot join.</source>
        <translation>%1은(는) 이 버전으로 참여할 수 없는 예전 zp2p 호스트입니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>You left the room.</source>
        <translation>방에서 나갔습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Looking for a zp2p host on %1…</source>
        <translation>%1에서 zp2p 호스트를 찾는 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Asking the host at %1…</source>
        <translation>%1의 호스트에 연결하는 중…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No one else was found on %1, so this computer is now hosting the room. Others on the network will find it.</source>
        <translation>%1에서 다른 사람을 찾지 못해 이제 이 컴퓨터가 방을 호스팅합니다. 네트워크의 다른 사람들이 이 방을 찾을 수 있습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No host answered, so this computer is now hosting the room.</source>
        <translation>응답한 호스트가 없어 이제 이 컴퓨터가 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer took over hosting the room at %1.</source>
        <translation>이 컴퓨터가 %1에서 방의 호스팅을 이어받았습니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 joined.</source>
        <translation>%1 님이 들어왔습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 left.</source>
        <translation>%1 님이 나갔습니다.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../zp2p_gui/ui/tray.py" line="+44"/>
        <source>Show zp2p</source>
        <translation>zp2p 보기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message numerus="yes">
        <location line="+29"/>
        <source>zp2p: %n unread message(s)</source>
        <translation>
            <numerusform>zp2p: 읽지 않은 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../zp2p_gui/ui/settings_dialog.py" line="+30"/>
        <source>zp2p settings</source>
        <translation>zp2p 설정</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the /24 of the interface</source>
        <translation>인터페이스의 /24 대역</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>search the network</source>
        <translation>네트워크 검색</translation>
    </message>
    <message>
        <location line="+8"/>
        <source> s</source>
        <translation> 초</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Nick:</source>
        <translation>닉네임(&amp;N):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Room:</source>
        <translation>방(&amp;R):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Interface:</source>
        <translation>인터페이스(&amp;I):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Scan ranges:</source>
        <translation>검색 범위(&amp;S):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Host address:</source>
        <translation>호스트 주소(&amp;H):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base &amp;port:</source>
        <translation>기본 포트(&amp;P):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Discovery window:</source>
        <translation>검색 대기 시간(&amp;D):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>CIDR ranges separated by spaces, e.g. 192.168.1.0/24</source>
        <translation>공백으로 구분한 CIDR 범위, 예: 192.168.1.0/24</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Join the host at this address without scanning</source>
        <translation>검색하지 않고 이 주소의 호스트에 참여합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The room uses this port and the three after it</source>
        <translation>방은 이 포트와 그다음 세 개의 포트를 사용합니다</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>(default route)</source>
        <translation>(기본 경로)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(loopback, for testing)</source>
        <translation>(루프백, 테스트용)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Automatic (default route)</source>
        <translation>자동 (기본 경로)</translation>
    </message>
</context>
<context>
    <name>StatusBadge</name>
    <message>
        <location filename="../../zp2p_gui/ui/badge.py" line="+51"/>
        <source>Offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Searching…</source>
        <translation>찾는 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hosting server</source>
        <translation>서버 호스팅 중</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Connected to %1</source>
        <translation>%1에 연결됨</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reconnecting…</source>
        <translation>다시 연결 중…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>nick already in use</source>
        <translation>이미 사용 중인 닉네임</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid nick</source>
        <translation>잘못된 닉네임</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the room is full</source>
        <translation>방이 가득 찼습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the host runs an incompatible version</source>
        <translation>호스트의 버전이 호환되지 않습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrong passphrase</source>
        <translation>암호가 틀렸습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ports are in use</source>
        <translation>포트가 사용 중입니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no network interface</source>
        <translation>네트워크 인터페이스 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address not allowed</source>
        <translation>허용되지 않은 주소</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../zp2p_gui/ui/welcome.py" line="+56"/>
        <source>Welcome to zp2p</source>
        <translation>zp2p에 오신 것을 환영합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the name others will see in the Nick field, then press Connect.</source>
        <translation>닉네임 칸에 다른 사람에게 보일 이름을 정한 뒤 연결을 누르세요.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connect joins the zp2p host at %1.</source>
        <translation>연결을 누르면 %1의 zp2p 호스트에 접속합니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the local network</source>
        <translation>로컬 네트워크</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>a second</source>
        <translation>1초</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 seconds</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect looks for a zp2p host on %1; if none answers within %2, this computer becomes the host and others will find it.</source>
        <translation>연결을 누르면 %1에서 zp2p 호스트를 찾습니다. %2 안에 응답하는 호스트가 없으면 이 컴퓨터가 호스트가 되고, 다른 사람들이 이 컴퓨터를 찾게 됩니다.</translation>
    </message>
</context>
</TS>
