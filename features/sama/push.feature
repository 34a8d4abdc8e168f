Feature: Push subscriptions and push events
  Seed 003, "push_subscription_create", "push_subscription_list",
  "push_subscription_delete" and "push_event_create".

  Background:
    Given the users Alice and Bob

  @rule:S-push-subscription-create @rule:S-push-subscription-list
  Scenario: A web push subscription is created and listed
    Doc: 003 "push_subscription_create: { platform: "web", web_endpoint: 'enpoint', web_key_auth: 'auth', web_key_p256dh: 'p256dh'," and "device_udid: "deviceId""
    When Alice subscribes to web push on the device "browser"
    Then the reply's subscription is Alice's "web" subscription for the device "browser"
    When Alice lists her push subscriptions
    Then the push subscriptions listed include the device "browser"

  @rule:S-push-subscription-fields
  Scenario: Web subscriptions need the web keys, mobile ones a device token
    Doc: 003 "The [`web_endpoint`, `web_key_auth`, `web_key_p256dh`] and `device_token` fields are interchangeable for different devices"
    When Alice subscribes to web push on the device "browser" without the web keys
    Then the request is refused with status 422 (reading S52)
    When Alice subscribes to ios push on the device "iphone" without a device token
    Then the request is refused with status 422 (reading S52)
    When Alice subscribes to ios push on the device "iphone"
    Then the reply's subscription is Alice's "ios" subscription for the device "iphone"

  @rule:S-push-subscription-list
  Scenario: push_subscription_list lists the subscriptions of the user named
    Doc: 003 "push_subscription_list: { user_id: "644157e316eec28e3dfb8b31""
    Given Alice has subscribed to web push on the device "desk"
    When Bob lists the push subscriptions of Alice
    Then the push subscriptions listed include the device "desk"

  @rule:S-push-subscription-delete
  Scenario: A deleted subscription is no longer listed, and a second delete fails
    Doc: 003 "push_subscription_delete: { device_udid: "deviceId"" and "{ response: { id: 1, success: true } }"
    Given Alice has subscribed to web push on the device "old"
    When Alice deletes her push subscription for the device "old"
    Then the request succeeds with success true
    When Alice lists her push subscriptions
    Then the push subscriptions listed do not include the device "old"
    When Alice deletes her push subscription for the device "old"
    Then the request is refused with status 404 or 422 (reading S10)

  @rule:S-push-event-create @rule:S-push-event-message-string
  Scenario: push_event_create records the event and a push for every recipient
    Doc: 003 "push_event_create: { recipients_ids:" and "message: { title: "Title", body: "Message body"" and "message: '{"title":"Title","body":"Message body"}'"
    When Alice creates a push event titled "Title" with the body "Message body" for Bob
    Then the reply's event is from Alice to Bob with the message as a JSON string
    And Bob gets a push event titled "Title" in the outbox

  @rule:S-push-event-create
  Scenario: A push event for an unknown user fails
    Doc: 003 "push_event_create: { recipients_ids: ["644157e316eec28e3dfb8b31", "644157e316eec28e3dfb8b32"]"
    When Alice creates a push event titled "Lost" with the body "nobody" for the unknown id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S54)
