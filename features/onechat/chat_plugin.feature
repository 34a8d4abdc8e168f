Feature: The chat plugin library: ocwp in a page
  Seed 004, "Chat Plugin Javascript Library Functions": "The below documentation refers to the
  OneChat Javascript library based functions and variables which can be plugged into any
  website to give it OneChat messaging capabilities." Each scenario loads the library into a
  page of its own, on another origin than the server's, in headless Chromium; the server is seen
  through the API and its outbox (NOTES.md O15 to O20).

  Background:
    Given the domain "run7.example" with the users Ann, Ben and Cy

  @rule:O-ocwp-init @rule:O-ocwp-init-container @rule:O-ocwp-connection-status
  Scenario: init renders the plugin into its container, not yet connected
    Doc: 004 "containerElement Yes Element Container element where plugin will be rendered"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        containerElement: document.getElementById('onechatContainer'),
      }
      """
    Then the plugin is rendered inside "onechatContainer"
    And the connection status is "XMPP_CONNECTION_IDLE"
    And the page logged no error

  @rule:O-ocwp-init-container
  Scenario: init refuses to run without its container
    Doc: 004 "containerElement Yes Element"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        confPath: './config/',
      }
      """
    Then ocwp.init was refused with an error

  @rule:O-ocwp-init-conf-path @rule:O-ocwp-init-locale
  Scenario: init reads the default config and locale folders
    Doc: 004 "confPath No String ‘config/‘ Path to config folder, ends with trailing slash" and "default: 'enGB', // loading enGB.json as default"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        containerElement: document.getElementById('onechatContainer'),
      }
      """
    Then the page read a file from its folder "config/"
    And the page read a file from its folder "locale/enGB.json"

  @rule:O-ocwp-init-conf-path @rule:O-ocwp-init-locale
  Scenario: init reads the config and locale folders it is given
    Doc: 004 "confPath No String ‘config/‘ Path to config folder" and "locale No Object path: ‘locale/‘, default: ‘enGB’, Path to locale folder, ends with trailing slash"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        confPath: './settings/',
        locale: { path: './lang/', default: 'frFR' },
        containerElement: document.getElementById('onechatContainer'),
      }
      """
    Then the page read a file from its folder "settings/" and none from "config/"
    And the page read a file from its folder "lang/frFR.json" and none from "locale/"

  @rule:O-ocwp-init-login @rule:O-ocwp-connection-status
  Scenario: init with login credentials logs in
    Doc: 004 "login No Object Provide credentials if intend to login upon init"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        containerElement: document.getElementById('onechatContainer'),
        login: { usr: '{{Ann.jid}}', pw: '{{Ann.password}}' },
      }
      """
    Then the connection status becomes "XMPP_CONNECTION_CONNECTED_READY"
    And the page logged no error

  @rule:O-ocwp-login @rule:O-ocwp-subscribe-status @rule:O-ocwp-connection-status
  Scenario: Logging in connects, and the subscriber hears every change
    Doc: 004 "Invokes login from webpage’s javascript code." and "When connection status changes, callback will be invoked with new status as callback parameter."
    Given a page with the chat plugin initialised
    And the page subscribes to the connection status
    When the page calls ocwp.login with Ann's jid and password
    Then the connection status becomes "XMPP_CONNECTION_CONNECTED_READY"
    And the subscriber saw every status the plugin went through

  @rule:O-ocwp-login @rule:O-ocwp-connection-status
  Scenario: A wrong password ends in AUTHFAIL
    Doc: 004 "pw Yes String Password" and "XMPP_CONNECTION_AUTHFAIL"
    Given a page with the chat plugin initialised
    When the page calls ocwp.login with Ann's jid and the password "not-the-password"
    Then the connection status becomes "XMPP_CONNECTION_AUTHFAIL"

  @rule:O-ocwp-logout @rule:O-ocwp-subscribe-status @rule:O-ocwp-connection-status
  Scenario: Logging out disconnects, and the subscriber hears it
    Doc: 004 "Invokes logout from webpage’s javascript code."
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    And the page subscribes to the connection status
    When the page calls ocwp.logout()
    Then the connection status becomes "XMPP_CONNECTION_DISCONNECTED"
    And the subscriber saw every status the plugin went through

  @rule:O-ocwp-unsubscribe-status
  Scenario: After unsubscribing the callback is not called
    Doc: 004 "Unsubscribe to previously subscribed xmpp messaging protocol status."
    Given a page with the chat plugin initialised
    And the page subscribes to the connection status
    When the page calls ocwp.unsubscribeConnectionStatus()
    And the page calls ocwp.login with Ann's jid and password
    Then the connection status becomes "XMPP_CONNECTION_CONNECTED_READY"
    And the subscriber was not called

  @rule:O-ocwp-connection-status
  Scenario: A server that stops disconnects the plugin, and a login to it fails to connect
    Doc: 004 "XMPP_CONNECTION_DISCONNECTED" and "XMPP_CONNECTION_CONNFAIL"
    Given a server of the scenario's own with the user Dan
    And a page with the chat plugin initialised
    And the page is logged in as Dan
    When that server stops
    Then the connection status becomes "XMPP_CONNECTION_DISCONNECTED"
    When the page calls ocwp.login with Dan's jid and password
    Then the connection status becomes "XMPP_CONNECTION_CONNFAIL"

  @rule:O-ocwp-group-create @rule:O-ocwp-group-members
  Scenario: A group chat has its creator and the members given
    Doc: 004 "Creates a group chat." and "creator doesn't need to be included and not counted"
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "ops" with Ben and Cy
    Then the group chat "ops" has the members Ann, Ben and Cy
    And the group chat "ops" is open in the plugin
    And the page logged no error

  @rule:O-ocwp-group-members
  Scenario: A group chat needs one member besides its creator
    Doc: 004 "members Yes Array Array of members to be added to group, have to be at least 1 person, creator doesn't need to be included and not counted"
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "alone" with Ann
    Then the group chat is refused

  @rule:O-ocwp-group-jid @rule:O-ocwp-group-members
  Scenario: Without a chatJid the group gets a standard uuid
    Doc: 004 "chatJid No String uuid formatted string to id the group (please use a standard uuid), optional, will auto generate if empty"
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "ops" with Ben
    Then the group chat "ops" has a standard uuid for its id
    And the group chat "ops" has the members Ann and Ben

  @rule:O-ocwp-group-jid @rule:O-ocwp-group-members
  Scenario: A chatJid that exists opens its group and changes nobody's membership
    Doc: 004 "if group id exist, opens the groupchat"
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "ops" with Ben and the chatJid of "ops"
    And the page creates the group chat "ops" with Cy and the chatJid of "ops"
    Then the group chat "ops" has the members Ann and Ben
    And the group chat "ops" is open in the plugin

  @rule:O-ocwp-group-name
  Scenario: A group chat without a chatName takes the generic name of the locale
    Doc: 004 "chatName No String Name of chat, optional, will use generic name if empty (configure in the locale .json)"
    Given the page's file "locale/enGB.json" is:
      """
      {"groupChatName": "Team room"}
      """
    And a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "plain" with Ben
    And the page creates the group chat "named" with Cy and the chatName "Launch crew"
    Then the chat box of the group chat "plain" shows the name "Team room"
    And the chat box of the group chat "named" shows the name "Launch crew"

  @rule:O-ocwp-group-avatar
  Scenario: A group chat shows its chatAvatar, or the default group avatar
    Doc: 004 "chatAvatar No String Path to image or base64 string, optional, will use default group avatar if empty"
    Given a page with the chat plugin initialised
    And the page is logged in as Ann
    When the page creates the group chat "pictured" with Ben and the chatAvatar "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    And the page creates the group chat "plain" with Cy
    Then the chat box of the group chat "pictured" shows the image "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    And the chat box of the group chat "plain" shows an image other than "data:image/gif;base64,R0lGODlhAQABAAAAACw="

  @rule:O-ocwp-init-chat-box
  Scenario: A chat box takes the chatBox options and the seed's defaults
    Doc: 004 "Customising chat box appearances"
    Given a page with the chat plugin
    When the page calls ocwp.init with:
      """
      {
        containerElement: document.getElementById('onechatContainer'),
        chatBox: { minWidth: 300, maxHeight: 400 },
        login: { usr: '{{Ann.jid}}', pw: '{{Ann.password}}' },
      }
      """
    And the connection status becomes "XMPP_CONNECTION_CONNECTED_READY"
    And the page creates the group chat "ops" with Ben
    Then the chat box of the group chat "ops" has the style:
      | min-width    | 300px |
      | max-height   | 400px |
      | min-height   | 100px |
      | max-width    | 600px |
      | margin-left  | 5px   |
      | margin-right | 5px   |

  @rule:O-ocwp-version
  Scenario: ocwp.VERSION gives the plugin's version
    Doc: 004 "Returns current version of OneChat Messaging Library plugin."
    Given a page with the chat plugin
    Then ocwp.VERSION is a version like the seed's "4474"

  @rule:O-ocwp-build-date
  Scenario: ocwp.BUILD_DATE gives the plugin's build date
    Doc: 004 "Returns build date of OneChat Messaging Library plugin."
    Given a page with the chat plugin
    Then ocwp.BUILD_DATE is a date like the seed's "20180619"
