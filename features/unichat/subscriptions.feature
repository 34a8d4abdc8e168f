Feature: Subscriptions and managing one's own
  Seed 001, "Get subscriptions", "Get single subscription", "Manage own subscription" and
  "Mentions".

  Background:
    Given the users Alice, Bob and Carol
    And Alice has created the room "Ops" with Bob and Carol

  @rule:U-sub-per-group @rule:U-subs-ascending @rule:U-subs-paging
  Scenario: Subscriptions are listed in ascending order and page with limit and offset
    Doc: 001 "Sunscriptions are ordered by ascending, so just set limit and offset to some non-default values to iterate through subscriptions."
    Given Alice has created the room "Second"
    And Alice has created the room "Third"
    When Alice lists her subscriptions
    Then the subscriptions are in ascending order
    And they include "Ops", "Second" and "Third"
    When Alice lists 1 subscription at offset 1
    Then exactly 1 subscription is listed, the second of the full list

  @rule:U-subs-short @rule:U-subs-short-keeps-group
  Scenario: The short form leaves out the group's participants
    Doc: 001 "set short: true to get subscription information without group participants."
    When Alice lists her subscriptions in short form
    Then no listed group carries participants
    When Alice lists her subscriptions
    Then the group of "Ops" lists 3 participants

  @rule:U-get-subscription @rule:U-sub-carries-group-and-rights
  Scenario: A single subscription can be fetched by id
    Doc: 001 "Use it when you need to get or refresh only one subscription with known id"
    When Bob gets his subscription to "Ops"
    Then the reply is Bob's subscription to "Ops" with role "rw"

  @rule:U-sub-change-relevance @rule:U-sub-draft @rule:U-sub-tags
  Scenario: Draft, tags and mute are private: only the owner is notified and sees them
    Doc: 001 "tags: allow tag the subscription with an array of string tags." and "Tags are not visible to others."
    When Bob sets his draft in "Ops" to "half a thought" and his tags to "work" and "urgent"
    Then the call succeeds
    And the reply's subscription has the draft "half a thought" and the tags "work" and "urgent"
    And Bob receives a changed subscription notification for "Ops"
    And Alice receives no subscription notification about Bob in "Ops"

  @rule:U-sub-mute-clear @rule:U-sub-mute-until @rule:U-sub-only-supplied
  Scenario: mute_until is stored, and a moment in the past clears it
    Doc: 001 "To clear mute_until set it to any moment in past. Setting to null will not change its value."
    When Bob mutes "Ops" until "2099-01-01T00:00:00Z"
    Then the reply's subscription is muted until "2099-01-01T00:00:00Z"
    When Bob sets his draft in "Ops" to "still muted"
    Then the reply's subscription is muted until "2099-01-01T00:00:00Z"
    When Bob mutes "Ops" until "2000-01-01T00:00:00Z"
    Then the reply's subscription is not muted now

  @rule:U-sub-change-relevance @rule:U-sub-last-read @rule:U-sub-last-read-broadcast
  Scenario: Setting last_read_message_id is broadcast to the group
    Doc: 001 "last_read_message_id causes group broadcasting."
    Given Alice has posted "read me" to "Ops"
    When Bob marks "read me" as read in "Ops"
    Then the reply's subscription has last_read_message_id of "read me"
    And Alice and Carol each receive a changed subscription notification about Bob in "Ops"

  @rule:U-sub-last-read-unchecked
  Scenario: last_read_message_id is not checked against message ids
    Doc: 001 "Note that service does not check the value against message ids so you can write there zero, negative value and whatever you might find useful."
    When Bob sets last_read_message_id in "Ops" to -5
    Then the call succeeds
    And the reply's subscription has last_read_message_id -5

  @rule:U-mentions-last-mentioned @rule:U-mentions-no-sub-notification @rule:U-mentions-reported @rule:U-post-mentions
  Scenario: A mention sets last_mentioned_in_message_id without a subscription notification
    Doc: 001 "Also the system will set subscription.last_mentioned_in_message_id accordingly. This chainge of the subscription will not trigger subscription change notification"
    When Alice posts "hey @bob" to "Ops" mentioning Bob as "@bob"
    Then the reply's message mentions Bob as "@bob"
    And Bob receives a new message notification for "hey @bob"
    And Bob receives no subscription notification about his own subscription to "Ops"
    And Bob's subscription to "Ops" was last mentioned in "hey @bob"
    And Carol's subscription to "Ops" was last mentioned in nothing

  @rule:U-sub-last-read-clears-mention
  Scenario: Reading up to the mention clears it
    Doc: 001 "Setting last_read_message_id will also clear last_mentioned_in_message_id if it is lesser or equal to newly set last_read_message_id."
    Given Alice has posted "ping @bob" to "Ops" mentioning Bob as "@bob"
    When Bob marks "ping @bob" as read in "Ops"
    Then Bob's subscription to "Ops" was last mentioned in nothing

  @rule:U-sub-last-read-clears-mention
  Scenario: Reading up to an earlier message keeps the mention
    Doc: 001 "Setting last_read_message_id will also clear last_mentioned_in_message_id if it is lesser or equal to newly set last_read_message_id."
    Given Alice has posted "before" to "Ops"
    And Alice has posted "later @bob" to "Ops" mentioning Bob as "@bob"
    When Bob marks "before" as read in "Ops"
    Then Bob's subscription to "Ops" was last mentioned in "later @bob"

  @rule:U-sub-tags-private
  Scenario: Others never see a subscription's draft and tags, even in a broadcast about it
    Doc: 001 "Tags are not visible to others."
    Given Alice has posted "read me too" to "Ops"
    When Bob sets his draft in "Ops" to "secret plan" and his tags to "private"
    Then the call succeeds
    When Bob marks "read me too" as read in "Ops"
    Then the call succeeds
    And Alice's notification about Bob's subscription to "Ops" shows neither his draft nor his tags

  @rule:U-sub-draft-clear
  Scenario: A draft set to the empty string is cleared
    Doc: 001 "Set to empty string to clear it."
    When Bob sets his draft in "Ops" to "to be dropped"
    Then the call succeeds
    When Bob sets his draft in "Ops" to ""
    Then the reply's subscription has no draft

  @rule:U-sub-mute-null
  Scenario: mute_until set to null keeps the mute
    Doc: 001 "Setting to null will not change its value."
    When Bob mutes "Ops" until "2099-01-01T00:00:00Z"
    Then the call succeeds
    When Bob sends mute_until null for "Ops"
    Then the reply's subscription is muted until "2099-01-01T00:00:00Z"

  @rule:U-mentions-in-notification
  Scenario: The new message notification carries the mentions
    Doc: 001 "the recipient will already get the new message notification, which will contain mentions"
    When Alice posts "hello @bob" to "Ops" mentioning Bob as "@bob"
    Then the reply's message mentions Bob as "@bob"
    And Bob's new message notification for "hello @bob" mentions Bob as "@bob"

  @rule:U-sub-mute-client-only
  Scenario: A muted subscription still gets its notifications
    Doc: 001 "mute_until: if set to some time, notifications to this subscription should not be shown to the user clearly. This setting can only be interpretated by the client software."
    When Alice posts "before the mute" to "Ops"
    Then Bob receives a new message notification for "before the mute"
    When Bob mutes "Ops" until "2099-01-01T00:00:00Z"
    Then the call succeeds
    When Alice posts "while muted" to "Ops"
    Then Bob receives a new message notification for "while muted"
