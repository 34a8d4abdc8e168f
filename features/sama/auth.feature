Feature: Signing in: HTTP login and logout, connect, and the deprecated socket requests
  Seed 003, "POST /login", "POST /logout" and "connect": a client logs in over HTTP with a
  password, an access token or the refresh-token cookie, then links its socket to the access
  token with connect. user_login and user_logout are deprecated but still documented.

  Background:
    Given the users Alice and Bob

  @rule:S-login-password @rule:S-login-refresh-cookie @rule:S-login-response @rule:S-login-route
  Scenario: A password login returns the user, an access token and an HttpOnly refresh cookie
    Doc: 003 "If the authorization was performed using login & password or refresh_token, a new refresh_token will be embedded in the response cookie."
    When Alice logs in over HTTP with her password on the device "laptop"
    Then the login answers Alice's user with an access token and its expiry time
    And the login sets an HttpOnly refresh-token cookie

  @rule:S-login-access-token @rule:S-login-response
  Scenario: An access token logs in with the device in a header and sets no cookie
    Doc: 003 "When you use access_token for authorization: device_id: "device_u1" must be put in the request header."
    Given Alice has logged in over HTTP on the device "laptop"
    When Alice logs in over HTTP with the access token of "laptop" and the device in a header
    Then the login answers Alice's user with an access token and its expiry time
    And the login sets no refresh-token cookie

  @rule:S-login-refresh-cookie @rule:S-login-refresh-token @rule:S-login-response
  Scenario: The refresh-token cookie logs in and sets a new one
    Doc: 003 "If the authorization was performed using login & password or refresh_token, a new refresh_token will be embedded in the response cookie."
    Given Alice has logged in over HTTP on the device "laptop"
    When Alice logs in over HTTP with the refresh-token cookie of "laptop"
    Then the login answers Alice's user with an access token and its expiry time
    And the login sets an HttpOnly refresh-token cookie

  @rule:S-login-password
  Scenario: A wrong password is refused in the error shape
    Doc: 003 "Possible variations of request parameters: login: "login_u1", password: "u1_password", device_id: "device_u1""
    When Alice logs in over HTTP with a wrong password
    Then the login is refused with status 401 or 422

  @rule:S-login-password
  Scenario: A login without a device is refused
    Doc: 003 "login: "login_u1", password: "u1_password", device_id: "device_u1""
    When Alice logs in over HTTP with her password and no device
    Then the login is refused with status 422 (reading S6)

  @rule:S-connect @rule:S-connect-reply
  Scenario: connect links a new socket to the access token of its device
    Doc: 003 "After receiving the access_token, the client must send a request to connect the socket to the server and link it to the current access_token"
    Given Alice has logged in over HTTP on the device "tablet"
    When Alice connects a new socket on the device "tablet"
    Then the request succeeds with success true
    And Alice's tablet can list her conversations

  @rule:S-connect-device
  Scenario: connect with a token of another device is refused and the socket stays usable
    Doc: 003 "connect: { token: "access_token", device_id: "device_u1""
    Given Alice has logged in over HTTP on the device "tablet"
    When Alice connects a new socket on the device "phone" with the access token of "tablet"
    Then the request is refused with status 401 or 422 (reading S7)
    When Alice connects that socket on the device "tablet"
    Then the request succeeds with success true

  @rule:S-connect
  Scenario: connect with an unknown token is refused
    Doc: 003 "the client must send a request to connect the socket to the server and link it to the current access_token"
    When someone connects a new socket with the token "no-such-token" on the device "nowhere"
    Then the request is refused with status 401 or 422

  @rule:S-logout-route @rule:S-logout-token-header
  Scenario: POST /logout ends the session of the device
    Doc: 003 "The body of the request can be empty, but you need to put the access_token in the request header"
    When Alice logs out over HTTP
    Then the logout answers success true
    And Alice's socket is refused further requests with status 401 or 422 (reading S9)

  @rule:S-logout-token-header
  Scenario: POST /logout without an access token is refused
    Doc: 003 "you need to put the access_token in the request header, for example: headers: { Authorization: `Bearer ${accessToken}`"
    When someone logs out over HTTP without a token
    Then the logout is refused with status 401 or 422

  @rule:S-user-login
  Scenario: The deprecated user_login links a socket and returns a token
    Doc: 003 "WARNING: user_login request is deprecated ! Therefore, we recommend using the new http route /login"
    When Alice sends user_login with her password on a new socket as the device "legacy"
    Then the reply carries Alice's user and a token
    And that socket can list Alice's conversations

  @rule:S-user-login-token
  Scenario: A token from user_login logs in again with user_login
    Doc: 003 "Later, the subsequent logins can be done via token"
    Given Alice has sent user_login with her password on a new socket as the device "legacy"
    When Alice sends user_login with that token on a new socket
    Then the reply carries Alice's user and a token

  @rule:S-user-logout
  Scenario: The deprecated user_logout ends the session and the socket stays open
    Doc: 003 "WARNING: user_logout request is deprecated" with the reply "{ response: { id: "3", success: true } }"
    When Alice sends user_logout
    Then the request succeeds with success true
    And Alice's socket is refused further requests with status 401 or 422 (reading S9)

  @serial @clock @rule:S-login-expired-at
  Scenario: An access token stops working at its expiry time
    Doc: 003 "expired_at: timestamp_in_ms - the time when the access_token will expire"
    Given Alice has logged in over HTTP on the device "laptop"
    When the server's clock passes the expiry time of the access token of "laptop"
    And Alice connects a new socket on the device "laptop"
    Then the request is refused with status 401 or 422
