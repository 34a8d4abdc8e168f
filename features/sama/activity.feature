Feature: Last activity: asking for it and subscribing to it
  Seed 003, "user_last_activity" and "user_last_activity_subscribe": a user is "online" while
  connected, else their last activity in seconds; a subscriber hears when the user goes
  offline and comes back.

  Background:
    Given the users Alice, Bob and Carol

  @rule:S-last-activity @rule:S-last-activity-values
  Scenario: Last activity is "online" for a connected user and seconds for others
    Doc: 003 "last_activity: { uid1: num_of_seconds, uid2: "online", uid3: num_of_seconds"
    Given Carol has gone offline
    When Alice asks for the last activity of Bob and Carol
    Then the reply says Bob is online
    And the reply gives Carol's last activity in seconds

  @rule:S-last-activity-max-10
  Scenario: Last activity takes at most 10 ids
    Doc: 003 "ids: [uid1, uid2, uid3] // max 10 uids per request"
    When Alice asks for the last activity of 11 users
    Then the request is refused with status 422 (reading S56)

  @rule:S-last-activity-events @rule:S-last-activity-subscribe @rule:S-last-activity-values
  Scenario: A subscriber hears when the user goes offline and comes back
    Doc: 003 "Once that user will go offline/online, you will be receiving his/her last activity status"
    When Alice subscribes to the last activity of Bob
    Then the reply says Bob is online
    When Bob goes offline
    Then Alice receives Bob's last activity in seconds
    When Bob comes back online
    Then Alice receives Bob's last activity "online"

  @rule:S-last-activity-subscribe
  Scenario: Subscribing to an unknown user fails
    Doc: 003 "user_last_activity_subscribe: { id: uid1"
    When Alice subscribes to the last activity of the unknown id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S57)

  @rule:S-reg-last-activity-unsubscribe @rule:S-last-activity-values
  Scenario: Unsubscribing ends the socket's last activity subscriptions
    Doc: 003 "There is a way to subscribe to some user activity status upodate in real-time:"
    When Alice subscribes to the last activity of Bob
    Then the reply says Bob is online
    When Alice unsubscribes from last activity (reading S64)
    And Bob goes offline
    Then Alice receives no last activity of Bob (reading S64)
