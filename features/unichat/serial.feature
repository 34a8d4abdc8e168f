Feature: Message serials and loading messages
  Seed 001, "Message serial" and "Load messages": every change gives the message a bigger
  serial; after_serial returns new and changed messages most recent last; before_id and
  plain paging return the most recent first.

  Background:
    Given the users Alice and Bob
    And Alice has created the room "Ops" with Bob

  @rule:U-serial-above-known
  Scenario: Every new message has a serial greater than any before it
    Doc: 001 "Every time message is changed, say, its text is modified, its serial field gets some new value, which is guaranteed to be bigger than it was."
    When Alice posts "s1", "s2" and "s3" to "Ops"
    Then the serials of "s1", "s2" and "s3" increase

  @rule:U-edit-serial @rule:U-serial-grows
  Scenario: An edit or a delete raises the serial above every serial before it
    Doc: 001 "Notice that the updated message has increased serial field value (by some unknown positive number)"
    Given Alice has posted "a", "b" and "c" to "Ops"
    When Alice edits "a" to "a2"
    Then the serial of "a2" is greater than every serial "Ops" had before
    When Alice deletes "b"
    Then the serial of the deleted "b" is greater than every serial "Ops" had before

  @rule:U-load-after-serial @rule:U-load-latest-versions @rule:U-serial-above-known @rule:U-serial-grows @rule:U-serial-new-and-changed
  Scenario: after_serial returns new and changed messages, most recent last
    Doc: 001 "after_serial if present, select messages that are created and modified path one with such serial number, most recent last."
    Given Alice has posted "old1" and "old2" to "Ops"
    And Bob remembers the greatest serial in "Ops"
    When Alice posts "new1" to "Ops"
    And Alice edits "old1" to "old1 edited"
    And Alice posts "new2" to "Ops"
    And Bob loads "Ops" after the remembered serial
    Then the messages are "new1", "old1 edited" and "new2" in that order
    And the messages' serials increase

  @rule:U-load-latest
  Scenario: Plain loading returns the most recent first
    Doc: 001 "if neither before_id not after_serial are specified, selects most recently created messages, most recent first."
    Given Alice has posted "p1", "p2" and "p3" to "Ops"
    When Bob loads the latest 3 messages of "Ops"
    Then the messages are "p3", "p2" and "p1" in that order

  @rule:U-load-paging
  Scenario: limit and offset page through the most recent first
    Doc: 001 "limit and offset allow paging in usual sense"
    Given Alice has posted "q1", "q2", "q3" and "q4" to "Ops"
    When Bob loads 2 messages of "Ops" at offset 1
    Then the messages are "q3" and "q2" in that order

  @rule:U-load-before-id
  Scenario: before_id returns older messages, most recent first
    Doc: 001 "before_id if present, select messages that are older than a given id, in most recent first."
    Given Alice has posted "b1", "b2", "b3" and "b4" to "Ops"
    When Bob loads 2 messages of "Ops" before "b4"
    Then the messages are "b3" and "b2" in that order

  @rule:U-load-defaults
  Scenario: Loading without limit and offset gives the latest 100 messages
    Doc: 001 "limit:100,offset:0, before_id:<opt_long>,after_serial:<opt_long)"
    Given Alice has posted the messages "m1" up to "m101" to "Ops"
    When Bob loads "Ops" without limit or offset
    Then 100 messages are loaded, from "m101" to "m2"
