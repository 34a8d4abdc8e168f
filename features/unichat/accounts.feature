Feature: Registering and logging in
  Public facts: register(email, password) returns {user}, with error codes invalid_email and
  registration_error. The seeds name no login method; the mock's is login(email, password).

  @signup
  @rule:U-fact-register @rule:U-login-extended-record
  Scenario: Registering returns the extended chat user record
    Doc: 000 "When loggin in with some login method, callint party gets the extended `chat user record, which includes auth_token fields."
    When a new user registers with a fresh e-mail address
    Then the call succeeds
    And the reply's user carries an auth_token that works for get_subscriptions

  @signup
  @rule:U-fact-register
  Scenario: A malformed e-mail address is refused
    Doc: public fact "register(email, password) returns {user} (error codes invalid_email, registration_error)"
    When a new user registers with the e-mail "not-an-address"
    Then the call fails with error "invalid_email"

  @signup
  @rule:U-fact-register
  Scenario: An e-mail address cannot be registered twice
    Doc: public fact "register(email, password) returns {user} (error codes invalid_email, registration_error)"
    Given a new user has registered with a fresh e-mail address
    When a new user registers with the same e-mail address
    Then the call fails with error "registration_error"

  @signup
  @rule:U-login-extended-record
  Scenario: Logging in returns a working token, and a wrong password is refused
    Doc: 000 "When loggin in with some login method, callint party gets the extended `chat user record, which includes auth_token fields."
    Given a new user has registered with a fresh e-mail address
    When the user logs in with the right password
    Then the call succeeds
    And the reply's user carries an auth_token that works for get_subscriptions
    When the user logs in with a wrong password
    Then the call fails with error "login_error"
