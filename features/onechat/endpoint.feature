Feature: How every call is made
  Seed 004, "Guide to make API call": "Make sure Http method is set to POST", "Enter your API
  Key under Headers", "Enter the message details under Body"; every reply has status
  (Success or Error) and description (NOTES.md O1, O3, O4, O5).

  Background:
    Given the domain "run7.example" with the users Ann and Ben

  Scenario Outline: Every call that relays alerts needs the apikey header
    Doc: 004 "Enter your API Key under Headers."
    Given the group "Ops" of Ann and Ben
    When Ann calls <call> with its apikey
    Then the reply is Success
    When Ann calls <call> without an apikey
    Then the reply is Error with a description

    @rule:O-broadcast-apikey-mandatory @rule:O-call-apikey-header
    Examples:
      | call          |
      | massBroadcast |

    @rule:O-call-apikey-header @rule:O-single-apikey-mandatory
    Examples:
      | call          |
      | singleMessage |

    @rule:O-call-apikey-header @rule:O-group-apikey-mandatory @rule:O-reply-description
    Examples:
      | call          |
      | groupMessage  |

  @rule:O-call-post
  Scenario Outline: Every call is a POST
    Doc: 004 "Make sure Http method is set to POST." (NOTES.md O1)
    When someone sends <method> to <call>
    And the checks below rest on the reading O1 of the register
    Then the reply is Error with a description and HTTP 405

    Examples:
      | method | call             |
      | GET    | massBroadcast    |
      | PUT    | singleMessage    |
      | DELETE | groupMessage     |
      | GET    | registerMiniApp  |
      | GET    | authenticateUser |

  @rule:O-call-url
  Scenario: A call that does not exist is not found
    Doc: 004 "Enter the URL (refer to subsequent pages in this document) in the field request URL." (NOTES.md O1)
    When someone calls the unknown call sendEverything
    And the checks below rest on the reading O1 of the register
    Then the reply is Error with a description and HTTP 404

  @rule:O-call-body @rule:O-reply-json
  Scenario: A body that is not JSON gets an Error, not a server error
    Doc: 004 "Enter the message details under Body." (NOTES.md O3)
    When Ann sends the body "{not json" to the call singleMessage
    Then the reply is Error with a description, not a server error

  @rule:O-call-body
  Scenario: A body that is not an object gets an Error, not a server error
    Doc: 004 "Enter the message details under Body." (NOTES.md O3)
    When Ann sends the body "[\"hi\"]" to the call singleMessage
    Then the reply is Error with a description, not a server error

  @rule:O-reply-status
  Scenario: A field of the wrong type gets an Error
    Doc: 004 "message Yes Message to be broadcasted Hi" (NOTES.md O3, O10)
    When Ann sends Ben the alert "Shown"
    Then the reply is Success
    When Ann sends Ben the alert "Typed" with the message 42
    Then the reply is Error with a description, not a server error
    And Ben received no alert but "Shown"

  @rule:O-call-body
  Scenario: A form body is read like JSON
    Doc: 004 "Enter the message details under Body." (NOTES.md O3)
    When Ann sends Ben the alert "By form" as a form
    And the checks below rest on the reading O3 of the register
    Then the reply is Success
    And Ben received "By form" and nobody else did
