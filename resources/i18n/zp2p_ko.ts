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
    <name>ChatView</name>
    <message numerus="yes">
        <location filename="../../zp2p_gui/ui/chat_view.py" line="+125"/>
        <source>↓ %n new message(s)</source>
        <translation>
            <numerusform>↓ 새 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../zp2p_gui/ui/conversations.py" line="+106"/>
        <source>No direct messages yet — double-click a member to write to them</source>
        <translation>아직 개인 메시지가 없습니다 — 멤버를 더블클릭해 메시지를 보내세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conversations</source>
        <translation>대화</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The room: everyone in it reads these messages</source>
        <translation>방: 방에 있는 모든 사람이 이 메시지를 읽습니다</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Private messages with %1</source>
        <translation>%1 님과의 개인 메시지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprint: %1</source>
        <translation>지문: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>읽지 않은 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <location filename="../../zp2p_gui/ui/logs.py" line="+76"/>
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
    <name>DirectMessages</name>
    <message>
        <location filename="../../zp2p_gui/ui/direct.py" line="+115"/>
        <source>Earlier messages with %1</source>
        <translation>%1 님과 나눈 이전 메시지</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Private message to %1 — only they can read it</source>
        <translation>%1 님에게 보내는 개인 메시지 — 그 사람만 읽을 수 있습니다</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>✓ waiting for %1</source>
        <translation>✓ %1 님을 기다리는 중</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓✓ read</source>
        <translation>✓✓ 읽음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ not sent</source>
        <translation>✗ 보내지 못함</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../zp2p_gui/ui/main_window.py" line="+197"/>
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
        <location line="+9"/>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <location line="-8"/>
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
        <location line="+4"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>Earlier conversation in %1</source>
        <translation>%1의 이전 대화</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>End of history</source>
        <translation>이전 대화 끝</translation>
    </message>
    <message>
        <location line="+12"/>
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
    <message>
        <location line="+18"/>
        <source>The nick is empty: enter a name first</source>
        <translation>닉네임이 비어 있습니다: 먼저 이름을 입력하세요</translation>
    </message>
    <message>
        <location line="-146"/>
        <source>Sending… earlier messages are still on their way; your text is kept.</source>
        <translation>보내는 중… 앞선 메시지가 아직 전달되고 있어 입력한 내용은 그대로 둡니다.</translation>
    </message>
</context>
<context>
    <name>MemberList</name>
    <message>
        <location filename="../../zp2p_gui/ui/members.py" line="+139"/>
        <source>Message…</source>
        <translation>메시지 보내기…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send file…</source>
        <translation>파일 보내기…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send folder…</source>
        <translation>폴더 보내기…</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>(you)</source>
        <translation>(나)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Address: %1</source>
        <translation>주소: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Joined at: %1</source>
        <translation>참여 시각: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fingerprint: %1</source>
        <translation>지문: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No identity key</source>
        <translation>신원 키 없음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Host of the room</source>
        <translation>방의 호스트</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>⚠ This nick was seen with another key before</source>
        <translation>⚠ 이 닉네임은 전에 다른 키로 쓰인 적이 있습니다</translation>
    </message>
</context>
<context>
    <name>Narrator</name>
    <message>
        <location filename="../../zp2p_gui/ui/narrator.py" line="+100"/>
        <source>Looking for a host on the network…</source>
        <translation>네트워크에서 호스트를 찾는 중…</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>The room is now hosted at %1.</source>
        <translation>이제 %1에서 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+5"/>
        <source>%1 is now hosting the room.</source>
        <translation>이제 %1 님이 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Joined the room; %1 is hosting it.</source>
        <translation>방에 들어왔습니다. %1 님이 호스팅하고 있습니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 runs an old zp2p host that this version cannot join.</source>
        <translation>%1은(는) 이 버전으로 참여할 수 없는 예전 zp2p 호스트입니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Someone in room %1 already uses the nick %2; this computer keeps asking for it. Press Enter to join as %3 instead, or type another nick.</source>
        <translation>%1 방에서 누군가 이미 %2 닉네임을 쓰고 있습니다. 이 컴퓨터는 계속 그 닉네임을 요청합니다. 대신 %3(으)로 들어가려면 Enter를 누르거나 다른 닉네임을 입력하세요.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <location line="+7"/>
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
        <source>This computer took over hosting the room.</source>
        <translation>이 컴퓨터가 방 호스팅을 이어받았습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>If you expect others here, check that everyone uses the same passphrase.</source>
        <translation>다른 사람이 있어야 한다면 모두 같은 암호를 쓰는지 확인하세요.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No one with this passphrase was found on %1, so this computer is now hosting the room.</source>
        <translation>%1에서 이 암호를 쓰는 사람을 찾지 못해 이제 이 컴퓨터가 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No one with this passphrase answered, so this computer is now hosting the room.</source>
        <translation>이 암호로 응답한 사람이 없어 이제 이 컴퓨터가 방을 호스팅합니다.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>zp2p on %1&apos;s computer stopped; the room moves to another computer…</source>
        <translation>%1 님 컴퓨터의 zp2p가 멈췄습니다. 방이 다른 컴퓨터로 옮겨 갑니다…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1&apos;s computer stopped answering; the room moves to another computer…</source>
        <translation>%1 님의 컴퓨터가 응답하지 않습니다. 방이 다른 컴퓨터로 옮겨 갑니다…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 left and handed the room over…</source>
        <translation>%1 님이 나가면서 방을 넘겨주었습니다…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host&apos;s computer went away; the room moves to another computer…</source>
        <translation>호스트 컴퓨터가 사라졌습니다. 방이 다른 컴퓨터로 옮겨 갑니다…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another computer hosts room %1 too; joining it so there is one room…</source>
        <translation>다른 컴퓨터도 %1 방을 호스팅하고 있습니다. 방을 하나로 합치려고 그쪽으로 들어갑니다…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The room is moving to another computer…</source>
        <translation>방이 다른 컴퓨터로 옮겨 가는 중입니다…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host does not answer; trying again…</source>
        <translation>호스트가 응답하지 않습니다. 다시 시도합니다…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lost the connection to %1&apos;s computer; finding the room again…</source>
        <translation>%1 님의 컴퓨터와 연결이 끊겼습니다. 방을 다시 찾는 중입니다…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lost the connection to the room; finding it again…</source>
        <translation>방과의 연결이 끊겼습니다. 다시 찾는 중입니다…</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1 is back.</source>
        <translation>%1 님이 돌아왔습니다.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1&apos;s computer stopped answering.</source>
        <translation>%1 님의 컴퓨터가 응답하지 않습니다.</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>%1 joined.</source>
        <translation>%1 님이 들어왔습니다.</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+43"/>
        <source>%1 left.</source>
        <translation>%1 님이 나갔습니다.</translation>
    </message>
    <message numerus="yes">
        <location line="-127"/>
        <source>%n message(s) from %1 could not be recovered.</source>
        <translation>
            <numerusform>%1 님의 메시지 %n개를 복구하지 못했습니다.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NickField</name>
    <message>
        <location filename="../../zp2p_gui/ui/nick_field.py" line="+36"/>
        <source>%1 is taken in this room</source>
        <translation>%1은(는) 이 방에서 이미 쓰이고 있습니다</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <location filename="../../zp2p_gui/ui/tray.py" line="+45"/>
        <source>Show zp2p</source>
        <translation>zp2p 보기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (private message)</source>
        <translation>%1 (개인 메시지)</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>zp2p: %n unread message(s)</source>
        <translation>
            <numerusform>zp2p: 읽지 않은 메시지 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../zp2p_gui/ui/problems.py" line="+25"/>
        <source>%1 was seen with another key before: another device, or someone else using that name.</source>
        <translation>%1 님은 전에 다른 키로 접속한 적이 있습니다. 다른 기기이거나 다른 사람이 같은 이름을 쓰는 것일 수 있습니다.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Nick already in use</source>
        <translation>이미 사용 중인 닉네임입니다</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The host runs an incompatible version</source>
        <translation>호스트의 버전이 호환되지 않습니다</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Ports are in use</source>
        <translation>포트가 이미 사용 중입니다</translation>
    </message>
    <message>
        <location line="-45"/>
        <source>Someone in the room was seen with another key before.</source>
        <translation>방에 있는 누군가가 전에 다른 키로 보인 적이 있습니다.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A message its sender did not sign was dropped: the host altered or invented it</source>
        <translation>보낸 사람의 서명이 맞지 않는 메시지를 버렸습니다. 호스트가 바꾸거나 지어낸 메시지입니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A message claiming to be from %1 was not signed by them and was dropped: the host altered or invented it</source>
        <translation>%1 님이 보낸 것으로 된 메시지가 서명이 맞지 않아 버렸습니다. 호스트가 바꾸거나 지어낸 메시지입니다.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Must be between %1 and %2 seconds</source>
        <translation>%1초에서 %2초 사이여야 합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Must be between 0 (no limit) and %1 messages per second</source>
        <translation>초당 0(제한 없음)에서 %1개 사이여야 합니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown language</source>
        <translation>알 수 없는 언어입니다</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A nick is 1 to %2 characters, without invisible or control characters</source>
        <translation>닉네임은 1~%2자이며, 보이지 않는 문자나 제어 문자를 쓸 수 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A room name is 1 to %2 characters, without invisible or control characters</source>
        <translation>방 이름은 1~%2자이며, 보이지 않는 문자나 제어 문자를 쓸 수 없습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The port must be between 1 and %2</source>
        <translation>포트는 1에서 %2 사이여야 합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not an IPv4 address (like 192.168.1.20)</source>
        <translation>IPv4 주소가 아닙니다 (예: 192.168.1.20)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not a CIDR range (like 192.168.1.0/24), or more than %2 addresses in all</source>
        <translation>CIDR 범위가 아니거나 (예: 192.168.1.0/24) 주소가 모두 합쳐 %2개를 넘습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An option is out of its range; see zp2p --help</source>
        <translation>옵션 값이 허용 범위를 벗어났습니다. zp2p --help를 참고하세요</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The passphrase is empty</source>
        <translation>암호가 비어 있습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot use the data folder; check that it exists and is writable</source>
        <translation>데이터 폴더를 쓸 수 없습니다. 폴더가 있고 쓰기 가능한지 확인하세요</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No network interface</source>
        <translation>네트워크 인터페이스가 없습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address not allowed by ZP2P_ALLOWED_NETS</source>
        <translation>ZP2P_ALLOWED_NETS에서 허용하지 않는 주소입니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This computer&apos;s direct-message port is in use; private messages to you come through the host instead, still encrypted to you</source>
        <translation>이 컴퓨터의 개인 메시지 포트가 사용 중입니다. 개인 메시지는 대신 호스트를 거쳐 오며, 여전히 당신만 읽을 수 있게 암호화됩니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This computer&apos;s file port is in use by another program, so it cannot send files until zp2p restarts; it still receives them.</source>
        <translation>이 컴퓨터의 파일 포트를 다른 프로그램이 쓰고 있어 zp2p를 다시 시작할 때까지 파일을 보낼 수 없습니다. 파일을 받는 것은 됩니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Something went wrong inside zp2p; the log file has the details</source>
        <translation>zp2p 내부에서 문제가 생겼습니다. 자세한 내용은 로그 파일에 있습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Room %1 is full; this computer keeps trying to join</source>
        <translation>%1 방이 가득 찼습니다. 이 컴퓨터는 계속 들어가기를 시도합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Too many members of room %1 share this computer&apos;s address; this computer keeps trying to join</source>
        <translation>%1 방에 이 컴퓨터의 주소를 쓰는 멤버가 너무 많습니다. 이 컴퓨터는 계속 들어가기를 시도합니다</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>That host serves another room than %1</source>
        <translation>그 호스트는 %1 방이 아닌 다른 방을 열고 있습니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The host could not read this computer&apos;s identity key</source>
        <translation>호스트가 이 컴퓨터의 신원 키를 읽지 못했습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host could not verify this computer&apos;s identity key</source>
        <translation>호스트가 이 컴퓨터의 신원 키를 확인하지 못했습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room %1 on this network has no passphrase; not joining it unencrypted</source>
        <translation>이 네트워크의 %1 방에는 암호가 없어, 암호화되지 않은 방에는 참여하지 않습니다</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Message not sent: too many messages are waiting for the room.</source>
        <translation>메시지를 보내지 못했습니다. 방을 기다리는 메시지가 너무 많습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message not sent: it is empty.</source>
        <translation>메시지를 보내지 못했습니다. 내용이 비어 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message not sent: it is longer than %2 KiB.</source>
        <translation>메시지를 보내지 못했습니다. %2KiB보다 깁니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message not sent: it contains control characters.</source>
        <translation>메시지를 보내지 못했습니다. 제어 문자가 들어 있습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message not sent: no one with that nick has been seen in the room.</source>
        <translation>메시지를 보내지 못했습니다. 그 닉네임을 쓰는 사람을 방에서 본 적이 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message not sent: that nick is now used with another key, so it may be someone else.</source>
        <translation>메시지를 보내지 못했습니다. 그 닉네임을 지금 다른 키가 쓰고 있어 다른 사람일 수 있습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message not sent: too many private messages are already waiting for this person.</source>
        <translation>메시지를 보내지 못했습니다. 이 사람에게 보낼 개인 메시지가 이미 너무 많이 기다리고 있습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Declined: the file was not sent.</source>
        <translation>거절됨: 파일을 보내지 않았습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled: the transfer was stopped.</source>
        <translation>취소됨: 전송을 멈췄습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped: the receiving disk is full. What arrived is kept; offering the file again after freeing space resumes it.</source>
        <translation>중단됨: 받는 쪽 디스크가 가득 찼습니다. 받은 부분은 보관되며, 공간을 비운 뒤 파일을 다시 보내면 이어서 받습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped: the other computer stopped answering. It resumes where it stopped once you are both in the room again, or when the file is offered again.</source>
        <translation>중단됨: 상대 컴퓨터가 응답하지 않습니다. 두 사람이 다시 방에 들어오거나 파일을 다시 보내면 멈춘 곳부터 이어서 보냅니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not sent: this person is not in the room now.</source>
        <translation>보내지 못함: 이 사람은 지금 방에 없습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not sent: the offer was neither accepted nor declined in time.</source>
        <translation>보내지 못함: 제안이 제때 수락되거나 거절되지 않았습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed: the file arrived damaged (its checksum does not match). The damaged copy is kept aside, never used as the file.</source>
        <translation>실패: 파일이 손상되어 도착했습니다(체크섬 불일치). 손상된 사본은 따로 보관되며 파일로 쓰이지 않습니다.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refused: the offer had an unsafe file name, so nothing was written.</source>
        <translation>거부됨: 안전하지 않은 파일 이름이 있어 아무것도 저장하지 않았습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not sent: the file cannot be read, or it changed while being sent.</source>
        <translation>보내지 못함: 파일을 읽을 수 없거나 보내는 동안 바뀌었습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped: the file cannot be saved in the downloads folder; check that it exists and is writable.</source>
        <translation>중단됨: 다운로드 폴더에 파일을 저장할 수 없습니다. 폴더가 있고 쓸 수 있는지 확인하세요.</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Cannot read the passphrase file, or it is empty</source>
        <translation>암호 파일을 읽을 수 없거나 파일이 비어 있습니다</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This zp2p has no encryption support (CURVE), so private rooms cannot work</source>
        <translation>이 zp2p에는 암호화(CURVE) 지원이 없어 비공개 방을 쓸 수 없습니다</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>This computer&apos;s identity key is damaged; move it away to create a new one</source>
        <translation>이 컴퓨터의 신원 키가 손상되었습니다. 새 키를 만들려면 파일을 다른 곳으로 옮기세요</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The host refused this computer&apos;s identity key</source>
        <translation>호스트가 이 컴퓨터의 신원 키를 거부했습니다</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The host already knows this node from another address or key</source>
        <translation>호스트가 이 노드를 다른 주소나 키로 이미 알고 있습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host had forgotten this computer; joining again</source>
        <translation>호스트가 이 컴퓨터를 잊어버렸습니다. 다시 들어갑니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The host did not understand a request from this computer</source>
        <translation>호스트가 이 컴퓨터의 요청을 이해하지 못했습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Another host asked to take over the room and was refused</source>
        <translation>다른 호스트가 방을 넘겨받으려 했지만 거절되었습니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No host answers at the moment; still trying, and your messages wait</source>
        <translation>지금은 응답하는 호스트가 없습니다. 계속 시도하며, 메시지는 기다렸다가 보내집니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>You are sending too fast; your messages are slowed down.</source>
        <translation>너무 빨리 보내고 있어 메시지 전송이 늦춰집니다.</translation>
    </message>
</context>
<context>
    <name>SendButton</name>
    <message>
        <location filename="../../zp2p_gui/ui/transfers.py" line="+89"/>
        <source>Send file…</source>
        <translation>파일 보내기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send folder…</source>
        <translation>폴더 보내기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send files or a folder to the person of this conversation (or drop them here)</source>
        <translation>이 대화 상대에게 파일이나 폴더를 보냅니다 (여기에 끌어다 놓아도 됩니다)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a conversation with a member to send files</source>
        <translation>파일을 보내려면 멤버와의 대화를 여세요</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../zp2p_gui/ui/settings_dialog.py" line="+56"/>
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
        <location line="+4"/>
        <source>your downloads folder</source>
        <translation>다운로드 폴더</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bro&amp;wse…</source>
        <translation>찾아보기(&amp;W)…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;Browse…</source>
        <translation>찾아보기(&amp;B)…</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="+1"/>
        <source>Recei&amp;ved files:</source>
        <translation>받은 파일(&amp;V):</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <source>The room uses this port and the four after it</source>
        <translation>방은 이 포트와 그다음 네 개의 포트를 사용합니다</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted files and folders are saved here</source>
        <translation>수락한 파일과 폴더가 여기에 저장됩니다</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Private room</source>
        <translation>비공개 방</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>P&amp;assphrase:</source>
        <translation>암호(&amp;A):</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>none</source>
        <translation>없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passphrase &amp;file:</source>
        <translation>암호 파일(&amp;F):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A file whose first line is the passphrase, like --passphrase-file; only its path is saved, and it is read at Connect</source>
        <translation>첫 줄이 암호인 파일입니다(--passphrase-file과 같음). 경로만 저장되며 연결할 때 읽습니다</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Set on the command line with --passphrase-file, which wins over these fields.</source>
        <translation>명령줄의 --passphrase-file로 지정되어 이 칸들보다 우선합니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Everyone in the room needs the same passphrase. Leave both empty for an open room. A typed passphrase is kept in memory until zp2p quits and never saved.</source>
        <translation>방의 모든 사람이 같은 암호를 써야 합니다. 공개 방은 두 칸을 비워 두세요. 입력한 암호는 zp2p를 끝낼 때까지 메모리에만 있고 저장되지 않습니다.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Hide the passphrase</source>
        <translation>암호 숨기기</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Show the passphrase</source>
        <translation>암호 보기</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Weak: someone on the network could guess it offline. Use four or more random words.</source>
        <translation>약함: 네트워크의 누군가가 오프라인으로 추측해 낼 수 있습니다. 무작위 단어를 네 개 이상 쓰세요.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fair: a determined guesser with many computers could find it. More words help.</source>
        <translation>보통: 컴퓨터를 많이 가진 끈질긴 공격자라면 찾아낼 수 있습니다. 단어를 더 넣으면 좋습니다.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strong passphrase.</source>
        <translation>강한 암호입니다.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Passphrase file</source>
        <translation>암호 파일</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Received files</source>
        <translation>받은 파일</translation>
    </message>
    <message>
        <location line="+14"/>
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
    <message>
        <location line="+48"/>
        <source>Set by the command line: %1</source>
        <translation>명령줄에서 지정됨: %1</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>read from the file at Connect</source>
        <translation>연결할 때 파일에서 읽음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>empty: an open room</source>
        <translation>비워 두면 공개 방</translation>
    </message>
</context>
<context>
    <name>StatusBadge</name>
    <message>
        <location filename="../../zp2p_gui/ui/badge.py" line="+106"/>
        <source>Private room: messages are encrypted, and only people with the passphrase can join</source>
        <translation>비공개 방: 메시지가 암호화되며 암호를 아는 사람만 참여할 수 있습니다</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>private room</source>
        <translation>비공개 방</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+2"/>
        <source>Error: %1</source>
        <translation>오류: %1</translation>
    </message>
</context>
<context>
    <name>TransferRow</name>
    <message>
        <location filename="../../zp2p_gui/ui/transfer_row.py" line="+194"/>
        <source>&amp;Accept</source>
        <translation>수락(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Decline</source>
        <translation>거절</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show in folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear from the list</source>
        <translation>목록에서 지우기</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>From %1</source>
        <translation>보낸 사람: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To %1</source>
        <translation>받는 사람: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n file(s)</source>
        <translation>
            <numerusform>파일 %n개</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 wants to send you this. Accept saves it in your downloads folder.</source>
        <translation>%1 님이 이것을 보내려고 합니다. 수락하면 다운로드 폴더에 저장됩니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for %1 to accept…</source>
        <translation>%1 님의 수락을 기다리는 중…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting…</source>
        <translation>시작하는 중…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Interrupted: you left the room. Offering it again resumes where it stopped.</source>
        <translation>중단됨: 방에서 나갔습니다. 다시 보내면 멈춘 곳부터 이어집니다.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 of %2</source>
        <translation>%2 중 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1/s</source>
        <translation>초당 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 s left</source>
        <translation>%1초 남음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min left</source>
        <translation>%1분 남음</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min left</source>
        <translation>%1시간 %2분 남음</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Received and verified</source>
        <translation>받음, 확인 완료</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent to %1, verified</source>
        <translation>%1 님에게 보냄, 확인 완료</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>resumed: %1 did not need sending again</source>
        <translation>이어받기: %1은(는) 다시 보내지 않았습니다</translation>
    </message>
</context>
<context>
    <name>Transfers</name>
    <message>
        <location filename="../../zp2p_gui/ui/transfers.py" line="+73"/>
        <source>Send folder…</source>
        <translation>폴더 보내기…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send file…</source>
        <translation>파일 보내기…</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Offers you %1 (%2)</source>
        <translation>%1 파일을 보내려고 합니다 (%2)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Received %1</source>
        <translation>%1 받음</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <location filename="../../zp2p_gui/ui/welcome.py" line="+65"/>
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
