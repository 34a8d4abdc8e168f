Feature: Companies
  Seed 002, "Companies": get all, get single by ID, create, edit and delete, each on the
  companies of the account whose API token calls.

  Background:
    Given the account Acme

  @rule:C-companies-create @rule:C-fact-created-201 @rule:C-fact-records
  Scenario: Creating a company answers 201 with the company
    Doc: 002 "Create POST /api/companies"; public fact: 201
    When Acme creates the company "Acme Ltd"
    Then the call succeeds with 201
    And the reply is the company "Acme Ltd" of Acme

  @rule:C-companies-get
  Scenario: A company is fetched by its id
    Doc: 002 "Get single by ID GET /api/companies/{company-id}"
    Given Acme has created the company "Acme Ltd"
    When Acme fetches the company "Acme Ltd"
    Then the call succeeds with 200
    And the reply is the company "Acme Ltd" of Acme

  @rule:C-companies-list
  Scenario: Get all lists the account's companies
    Doc: 002 "Get all GET /api/companies"
    Given Acme has created the companies "One" and "Two"
    When Acme lists its companies
    Then the call succeeds with 200
    And the list holds exactly the companies "One" and "Two"

  @rule:C-companies-edit
  Scenario: Editing renames the company
    Doc: 002 "Edit PUT /api/companies/{company-id}"
    Given Acme has created the company "Acme Ltd"
    When Acme renames the company "Acme Ltd" to "Acme Group"
    Then the call succeeds with 200
    And the reply is the company "Acme Ltd" of Acme renamed "Acme Group"
    When Acme fetches the company "Acme Ltd"
    Then the reply is the company "Acme Ltd" of Acme renamed "Acme Group"

  @rule:C-companies-delete
  Scenario: Deleting removes the company
    Doc: 002 "Delete DELETE /api/companies/{company-id}" (NOTES.md C16: 200 or 204)
    Given Acme has created the company "Acme Ltd"
    When Acme deletes the company "Acme Ltd"
    Then the call succeeds with 200 or 204
    When Acme fetches the company "Acme Ltd"
    Then the call is refused with 404

  @rule:C-companies-delete @rule:C-fact-cascade
  Scenario: Deleting a company takes its chats with it
    Doc: 002 "Delete DELETE /api/companies/{company-id}"; public fact: "deleting a chat takes its users and messages with it" (NOTES.md C17)
    Given Acme has created the company "Acme Ltd"
    And Acme has created the chat "Support" in "Acme Ltd"
    When Acme deletes the company "Acme Ltd"
    Then the call succeeds with 200 or 204
    When Acme lists its chats
    Then the list is empty

  @rule:C-companies-create @rule:C-fact-validation-422
  Scenario: A company needs a name
    Doc: 002 "Create POST /api/companies"; public fact: "422 (validation)" (NOTES.md C22)
    When Acme creates a company with {}
    Then the call is refused with 422 naming "name"

  @rule:C-companies-create @rule:C-fact-validation-422
  Scenario: A company's name is text
    Doc: 002 "Create POST /api/companies"; public fact: "422 (validation)" (NOTES.md C22)
    When Acme creates a company with {"name": 7}
    Then the call is refused with 422 naming "name"

  @rule:C-companies-edit @rule:C-fact-validation-422
  Scenario: An edit's name is text
    Doc: 002 "Edit PUT /api/companies/{company-id}"; public fact: "422 (validation)" (NOTES.md C18, C22)
    Given Acme has created the company "Acme Ltd"
    When Acme calls PUT /api/companies/{company-id} with {"name": 7}
    Then the call is refused with 422 naming "name"

  @rule:C-companies-get @rule:C-fact-not-found-404
  Scenario: A company that does not exist is not found
    Doc: 002 "Get single by ID GET /api/companies/{company-id}"; public fact: 404
    When Acme calls GET /api/companies/987654321
    Then the call is refused with 404
