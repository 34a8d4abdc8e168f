Feature: Deleting own messages
  Seed 001, "Delete own message": only the author, at any time; the deleted record is the
  short form; deleting again is no error; the group is notified.

  Background:
    Given the users Alice and Bob
    And Alice has created the room "Ops" with Bob
    And Alice has posted "regrettable" to "Ops"

  @rule:U-delete-notification @rule:U-delete-returns-message @rule:U-delete-short-record @rule:U-message-short-form
  Scenario: Deleting returns the short form and notifies the group
    Doc: 001 "Note that the deleted message record contain less information: it has no text, attachemt, edited_at and created_at fields."
    When Alice deletes "regrettable"
    Then the call succeeds
    And the reply's message is the short form of a deleted message
    And Alice and Bob each receive a deleted message notification for "regrettable"

  @rule:U-delete-short-record @rule:U-delete-twice
  Scenario: Deleting twice is no error and changes nothing
    Doc: 001 "If the message is already deleted, it is not changed, error is not reported."
    Given Alice has deleted "regrettable"
    When Alice deletes "regrettable"
    Then the call succeeds
    And the reply's message is the short form of a deleted message
    And the serial of "regrettable" did not change

  @rule:U-delete-author-only
  Scenario: Nobody can delete another user's message
    Doc: 001 "Could be done by the author at any time."
    When Bob deletes "regrettable"
    Then the call fails with error "not_own_message"
    And the message "regrettable" still has the text "regrettable"

  @rule:U-delete-short-record @rule:U-message-short-form
  Scenario: A deleted message is loaded in the short form
    Doc: 001 "Short version represents deleted messages, where text and some other fieds are not available."
    Given Alice has deleted "regrettable"
    When Bob gets the message "regrettable"
    Then the reply's message is the short form of a deleted message

  @serial @clock
  @rule:U-delete-any-time @rule:U-delete-short-record
  Scenario: The author can delete at any time, even after the edit window
    Doc: 001 "Could be done by the author at any time. This operation is irreversible."
    When the edit window of the target passes
    And Alice deletes "regrettable"
    Then the call succeeds
