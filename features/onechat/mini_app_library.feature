Feature: The mini-app library: OC in a page
  Seed 004, "Mini App Library Functions": "The below documentation refers to the OneChat
  Javascript library based functions and variables which can be used to integrate it with
  OneChat as a Mini App." Each scenario loads the library for one user into a page of its own, on
  another origin than the server's, in headless Chromium; the server is seen through the API
  and its outbox (NOTES.md O15, O16, O21 to O23).

  Background:
    Given the domain "run7.example" with the users Ann, Ben, Cy and Dan

  @rule:O-oc-get-session-id
  Scenario: The session ID of the page is an active session of its user
    Doc: 004 "Get user active session ID."
    Given Ann has registered the mini app "Pay"
    And Ben's page runs the mini app library
    When the page calls OC.user.getSessionID()
    And the mini app "Pay" authenticates Ben with the session ID the page got
    Then the user is authenticated

  @rule:O-oc-get-vcard
  Scenario: The vCard is the page user's, as a JSON string
    Doc: 004 "Get user vCard."
    Given Ben's page runs the mini app library
    When the page calls OC.user.getVCard()
    Then the page got a JSON string of an object with the keys "jid", "userName" and "avatar"
    And its "jid" is Ben's jid
    And its "userName" is Ben's name

  @rule:O-oc-device-info
  Scenario: The device info names the device and the screen size, as a JSON string
    Doc: 004 "Get current device model number and screen size."
    Given Ben's page runs the mini app library
    When the page calls OC.user.deviceInfo()
    Then the page got a JSON string of an object with the keys "device", "os", "screenWidth" and "screenHeight"
    And its screen size is the browser's

  @rule:O-oc-select-contacts @rule:O-oc-select-contacts-max
  Scenario: Without maxNumberOfSelection every contact picked is selected
    Doc: 004 "maxNumberOfSelection (optional): 1, 2, 3..., -1 for unlimited (default)"
    Given Ann's page runs the mini app library
    When the page calls OC.user.selectContacts without maxNumberOfSelection
    And the user picks Ben, Cy and Dan in the selector
    And the user confirms the selection
    Then success got the JSON string of Ben, Cy and Dan

  @rule:O-oc-select-contacts-max
  Scenario: With maxNumberOfSelection -1 every contact picked is selected
    Doc: 004 "-1 for unlimited (default)"
    Given Ann's page runs the mini app library
    When the page calls OC.user.selectContacts with maxNumberOfSelection -1
    And the user picks Ben and Cy in the selector
    And the user confirms the selection
    Then success got the JSON string of Ben and Cy

  @rule:O-oc-select-contacts-max
  Scenario: The selector selects no more contacts than maxNumberOfSelection
    Doc: 004 "maxNumberOfSelection (optional): 1, 2, 3..."
    Given Ann's page runs the mini app library
    When the page calls OC.user.selectContacts with maxNumberOfSelection 2
    And the user picks Ben, Cy and Dan in the selector
    And the user confirms the selection
    Then success got a JSON string of at most 2 of Ben, Cy and Dan

  @rule:O-oc-select-contacts
  Scenario: Cancelling the selector selects nobody
    Doc: 004 "Shows OneChat contacts selector."
    Given Ann's page runs the mini app library
    When the page calls OC.user.selectContacts with maxNumberOfSelection 1
    And the user picks Ben in the selector
    And the user cancels the selection
    Then success got '[]'

  @rule:O-oc-single-relay
  Scenario: A single relay reaches each recipient
    Doc: 004 "message will be sent to each of the user(s) in the array of contacts"
    Given Ann's page runs the mini app library
    When the page relays "Lunch?" to Ben and Cy with OC.message.single.relay
    Then success was called
    And Ben and Cy received "Lunch?" and nobody else did

  @rule:O-oc-single-relay-mandatory
  Scenario Outline: A single relay without <field> fails and reaches nobody
    Doc: 004 "recipient and textMessage are mandatory"
    Given Ann's page runs the mini app library
    When the page relays "Nothing" to Ben with OC.message.single.relay without <field>
    Then fail was called and success was not
    And nobody received "Nothing"

    Examples:
      | field       |
      | recipient   |
      | textMessage |

  @rule:O-oc-group-relay
  Scenario: A group relay reaches the group's other members
    Doc: 004 "To share / broadcast message to group chat."
    Given the group "ops" of Ann, Ben and Cy
    And Ann's page runs the mini app library
    When the page relays "Standup" to the group "ops" with OC.message.group.relay
    Then success was called
    And Ben and Cy received "Standup" and nobody else did

  @rule:O-oc-group-relay-invitees-ignored
  Scenario: Invitees are ignored when a groupJid is given
    Doc: 004 "invitees (optional): array of users, will be ignored if groupJid is given"
    Given the group "ops" of Ann, Ben and Cy
    And Ann's page runs the mini app library
    When the page relays "Standup" to the group "ops" inviting Dan with OC.message.group.relay
    Then success was called
    And Ben and Cy received "Standup" and nobody else did

  @rule:O-oc-group-relay-new-group @rule:O-oc-group-relay-returns-jid
  Scenario: Without a groupJid a new group of the invitees is made, and success gets its jid
    Doc: 004 "groupJid (optional): new group will be created with invitees as members if not defined" and "if groupJid wasn’t provided, a new group will be automatically created and group jid returned here"
    Given Ann's page runs the mini app library
    When the page relays "Kickoff" to a new group inviting Ben and Cy with OC.message.group.relay
    Then success got the jid of the new group "crew"
    And Ben and Cy received "Kickoff" and nobody else did
    When the page relays "Follow-up" to the group "crew" with OC.message.group.relay
    Then Ben and Cy received "Follow-up" and nobody else did

  @rule:O-oc-group-relay-mandatory
  Scenario: A group relay without groupJid and invitees fails and reaches nobody
    Doc: 004 "ONE of groupJid or invitees must be provided, textMessage is mandatory"
    Given Ann's page runs the mini app library
    When the page relays "Lost" with OC.message.group.relay without groupJid and invitees
    Then fail was called and success was not
    And nobody received "Lost"

  @rule:O-oc-group-relay-mandatory
  Scenario: A group relay without textMessage fails and reaches nobody
    Doc: 004 "textMessage is mandatory"
    Given the group "ops" of Ann and Ben
    And Ann's page runs the mini app library
    When the page relays "Silent" with OC.message.group.relay to the group "ops" without textMessage
    Then fail was called and success was not
    And nobody received "Silent"
