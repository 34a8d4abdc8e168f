Feature: Contacts: add, add in a batch, update, list and delete
  Seed 003, "contact_add", the batch request, "contact_update", "contact_list" and
  "contact_delete". A contact's e-mail or phone that belongs to a user names that user in
  matched_user_id. Scenarios look only at the contacts they made.

  Background:
    Given the users Alice and Bob

  @rule:S-contact-add @rule:S-contact-matched-email
  Scenario: A contact is added, and a user's e-mail is matched to that user
    Doc: 003 "email: [ { type: "work", value: "...", matched_user_id: "uId5" }, { type: "home", value: "..." }"
    Given Bob has set a fresh e-mail address
    When Alice adds the contact "Bob Work" with Bob's e-mail and a phone no user has
    Then the reply's contact "Bob Work" has its e-mail matched to Bob and its phone to no one (reading S23)

  @rule:S-contact-matched-phone
  Scenario: A user's phone is matched to that user
    Doc: 003 "phone: [ { type: "work", value: "..." }, { type: "home", value: "...", matched_user_id: "uId7" },"
    Given Bob has set a fresh phone number
    When Alice adds the contact "Bob Home" with Bob's phone and an e-mail no user has
    Then the reply's contact "Bob Home" has its phone matched to Bob and its e-mail to no one (reading S23)

  @rule:S-contact-required
  Scenario: A contact needs a name and an e-mail or a phone
    Doc: 003 "or phone param is required, as well as first_name or last_name"
    When Alice adds a contact with a phone and no name
    Then the request is refused with status 422
    When Alice adds a contact with a first name and neither e-mail nor phone
    Then the request is refused with status 422

  @rule:S-contact-batch
  Scenario: Contacts are added in a batch
    Doc: 003 "request: { contacts: [ first_name: "Name"," and "first_name: "Name2","
    When Alice adds the contacts "Ann One" and "Ben Two" in one batch
    Then the reply lists the contacts "Ann One" and "Ben Two" in that order

  @rule:S-contact-batch @rule:S-contact-required
  Scenario: A batch with one bad contact adds none of them
    Doc: 003 "or phone param is required, as well as first_name or last_name"
    When Alice adds the contact "Cid Three" and a contact with neither e-mail nor phone in one batch
    Then the batch is refused with status 422
    And Alice's contacts do not include "Cid Three" (reading S21)

  @rule:S-contact-update
  Scenario: contact_update replaces the fields it is given
    Doc: 003 "contact_update: { id: "63480e68f4794709f802a2fa", first_name: "Name", last_name: "Surname", company: "UserCompany""
    Given Alice has added the contact "Dee Four"
    When Alice changes the company of the contact "Dee Four" to "Acme"
    Then the reply's contact "Dee Four" has the company "Acme"

  @rule:S-contact-list @rule:S-contact-list-ids
  Scenario: contact_list lists the oldest change first and picks contacts by ids
    Doc: 003 "You can also add the `ids` parameter if you need to get the target chat objects."
    Given Alice has added the contacts "Eve Five", "Fay Six" and "Gus Seven"
    When Alice changes the company of the contact "Eve Five" to "Later"
    And Alice lists her contacts
    Then the listed contacts are "Fay Six", "Gus Seven" and "Eve Five" in that order (reading S24)
    When Alice lists her contacts with the ids of "Fay Six" and "Gus Seven"
    Then the listed contacts are exactly "Fay Six" and "Gus Seven"

  @rule:S-contact-list-filters
  Scenario: contact_list keeps to its limit and to contacts changed after updated_at
    Doc: 003 "contact_list: { updated_at: "", limit: 56,"
    Given Alice has added the contacts "Jo Ten" and "Kit Eleven"
    When Alice lists her contacts
    Then the listed contacts include "Jo Ten" and "Kit Eleven"
    When Alice lists her contacts with the limit 1
    Then at most 1 contact is listed
    When Alice lists her contacts changed after "Jo Ten" was added
    Then the listed contacts include "Kit Eleven" but not "Jo Ten" (reading S24)

  @rule:S-contact-list-ids-max
  Scenario: contact_list takes at most 10 ids
    Doc: 003 "The maximum number of ids in a request is 10."
    When Alice lists her contacts with 11 ids
    Then the request is refused with status 422 (reading S24)

  @rule:S-contact-delete
  Scenario: contact_delete removes a contact, and a second delete fails
    Doc: 003 "contact_delete: { id: "63480e68f4794709f802a2fa"" and "{ response: { id: "14", success: true } }"
    Given Alice has added the contact "Hal Eight"
    When Alice deletes the contact "Hal Eight"
    Then the request succeeds with success true
    And Alice's contacts do not include "Hal Eight"
    When Alice deletes the contact "Hal Eight"
    Then the request is refused with status 404 or 422 (reading S10)

  @rule:S-contact-delete
  Scenario: A contact belongs to the user who added it
    Doc: 003 "contact_delete: { id" and "A id param is required."
    Given Alice has added the contact "Ivy Nine"
    When Bob deletes Alice's contact "Ivy Nine"
    Then the request is refused with status 404 or 422 (reading S24)
    And Alice's contacts include "Ivy Nine" (reading S24)

  @rule:S-contact-delete-id-required
  Scenario: contact_delete without an id is refused
    Doc: 003 "A id param is required."
    Given Alice has added the contact "Lou Twelve"
    When Alice deletes a contact without naming its id
    Then the request is refused with status 422
    And Alice's contacts include "Lou Twelve"
    When Alice deletes the contact "Lou Twelve"
    Then the request succeeds with success true
