Feature: Mini apps: registering and authenticating users
  Seed 004, "registerMiniApp": "Register new mini app in OneChat Admin Portal", answering
  appId and apiKey; "authenticateUser": "Authenticate user session ID for Mini App Server",
  answering isAuthenticated (NOTES.md O2, O11, O12, O13).

  Background:
    Given the domain "run7.example" with the users Ann and Ben

  Scenario: An admin registers a mini app and gets its appId and apiKey
    Doc: 004 "appId | Application ID" and "apiKey | apiKey for API calls"
    When Ann registers the mini app "Pay"
    Then the reply is Success
    And the reply carries an appId and an apiKey

  Scenario: The mini app's apiKey relays alerts
    Doc: 004 "apiKey | apiKey for API calls" (NOTES.md O6)
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" sends Ben the alert "Paid"
    Then the reply is Success
    And Ben received "Paid" and nobody else did

  Scenario: Registering takes the admin's own session
    Doc: 004 "adminJid | Yes | Admin Username" and "sessionId | Yes | Session ID" (NOTES.md O11)
    When Ann registers the mini app "Pay" with Ben's session
    Then the reply is Error with a description

  Scenario Outline: Every field of registerMiniApp is mandatory
    Doc: 004 "adminJid, sessionId, appName, appIcon, appUrl — Mandatory: Yes" (NOTES.md O10)
    When Ann registers a mini app without <field>
    Then the reply is Error with a description

    Examples:
      | field     |
      | adminJid  |
      | sessionId |
      | appName   |
      | appIcon   |
      | appUrl    |

  Scenario: A user's active session is authenticated
    Doc: 004 "isAuthenticated | Returns user validity | True, False"
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" authenticates Ben's session
    Then the user is authenticated

  Scenario: Another user's session is not authenticated
    Doc: 004 "Authenticate user session ID for Mini App Server"
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" authenticates Ben with Ann's session
    Then the user is not authenticated

  Scenario: Every active session of a user is authenticated
    Doc: 004 "Authenticate user session ID for Mini App Server" (NOTES.md O13)
    Given Ann has registered the mini app "Pay"
    And Ben has a second session
    When the mini app "Pay" authenticates Ben's second session
    Then the user is authenticated

  Scenario: An ended session is not authenticated
    Doc: 004 "Authenticate user session ID for Mini App Server" (NOTES.md O13)
    Given Ann has registered the mini app "Pay"
    And Ben's session has ended
    When the mini app "Pay" authenticates Ben's session
    Then the user is not authenticated

  Scenario: Wrong app credentials authenticate nobody
    Doc: 004 "apiKey | Yes | apiKey for API calls" (NOTES.md O12)
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" authenticates Ben's session with a wrong apiKey
    Then the reply is Error, or Success with the user not authenticated

  Scenario Outline: Every field of authenticateUser is mandatory
    Doc: 004 "jid, sessionId, appId, apiKey — Mandatory: Yes" (NOTES.md O10)
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" authenticates Ben's session without <field>
    Then the reply is Error with a description

    Examples:
      | field     |
      | jid       |
      | sessionId |
      | appId     |
      | apiKey    |

  Scenario: authenticateUser answers at the URL the seed gives it
    Doc: 004 "authenticateUser — URL: https://app.onechat.net/onechat/api/registerMiniApp" (NOTES.md O2)
    Given Ann has registered the mini app "Pay"
    When the mini app "Pay" authenticates Ben's session at the URL of registerMiniApp
    And the checks below rest on the reading O2 of the register
    Then the user is authenticated
