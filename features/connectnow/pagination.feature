Feature: Pages of every list
  Seed 002, "Get all"; public fact: lists are paginated with current_page, data,
  first_page_url, from, next_page_url, path, per_page (default 15, at most 249), prev_page_url
  and to (NOTES.md C7).

  Background:
    Given the account Acme with the company "Acme Ltd"

  @rule:C-fact-page-fields
  Scenario: A short list is one page with every pagination field
    Doc: 002 "Get all GET /api/chats"; public fact: lists are paginated with "current_page, data, first_page_url, from, next_page_url, path, per_page, prev_page_url, to"
    Given Acme has created 3 chats in "Acme Ltd"
    When Acme lists its chats
    Then the call succeeds with 200
    And the page is page 1 of 15 per page holding records 1 to 3
    And the page has no next page and no previous page

  @rule:C-fact-page-links @rule:C-fact-per-page
  Scenario: A page holds 15 records by default
    Doc: 002 "Get all GET /api/chats"; public fact: "per_page (default 15, at most 249)"
    Given Acme has created 16 chats in "Acme Ltd"
    When Acme lists its chats
    Then the page is page 1 of 15 per page holding records 1 to 15
    And the page has a next page and no previous page
    When Acme follows the next page URL
    Then the call succeeds with 200
    And the page is page 2 of 15 per page holding records 16 to 16
    And the page has no next page and a previous page
    And the pages read hold each of the 16 chats once

  @rule:C-fact-page-links @rule:C-fact-per-page
  Scenario: per_page chooses the page size
    Doc: 002 "Get all GET /api/chats"; public fact: "per_page (default 15, at most 249)"
    Given Acme has created 5 chats in "Acme Ltd"
    When Acme lists its chats 2 per page on page 2
    Then the call succeeds with 200
    And the page is page 2 of 2 per page holding records 3 to 4
    And the page has a next page and a previous page
    When Acme follows the previous page URL
    Then the page is page 1 of 2 per page holding records 1 to 2

  @rule:C-fact-per-page
  Scenario: per_page may be 249
    Doc: 002 "Get all GET /api/chats"; public fact: "per_page (default 15, at most 249)"
    Given Acme has created 3 chats in "Acme Ltd"
    When Acme lists its chats 249 per page
    Then the call succeeds with 200
    And the page is page 1 of 249 per page holding records 1 to 3

  @rule:C-fact-per-page
  Scenario: per_page above 249 is refused or capped
    Doc: 002 "Get all GET /api/chats"; public fact: "per_page (default 15, at most 249)" (NOTES.md C7: 422 or capped)
    Given Acme has created 3 chats in "Acme Ltd"
    When Acme lists its chats 250 per page
    Then per_page 250 is refused with 422 or capped at 249

  @rule:C-fact-page-fields
  Scenario: A page past the end is empty
    Doc: 002 "Get all GET /api/chats"; public fact: "from" and "to" are the positions of the page's first and last records
    Given Acme has created 3 chats in "Acme Ltd"
    When Acme lists its chats on page 9
    Then the call succeeds with 200
    And the page is empty, from and to null

  @rule:C-fact-page-links
  Scenario: Page URLs carry no token
    Doc: 002 "Get all GET /api/chats"; public fact: "first_page_url", "next_page_url", "path" (NOTES.md C7: never a token)
    Given Acme has created 16 chats in "Acme Ltd"
    When Acme lists its chats
    And the checks below rest on the reading C7 of the register
    Then the call succeeds with 200
    And the page URLs carry no token

  @rule:C-fact-page-fields
  Scenario Outline: Every list is paginated
    Doc: 002 "Get all"; public fact: lists are paginated with "current_page, data, first_page_url, from, next_page_url, path, per_page, prev_page_url, to"
    Given Acme has created the chat "Support" in "Acme Ltd"
    And Bob has joined "Support"
    And Bob has posted the message "hello" in "Support"
    When Acme lists <list>
    Then the call succeeds with 200
    And the page is page 1 of 15 per page holding records 1 to 1
    And the page has no next page and no previous page

    Examples:
      | list                        |
      | its companies               |
      | its chats                   |
      | the chat users of "Support" |
      | the messages of "Support"   |

  @rule:C-fact-page-first-url @rule:C-fact-page-path
  Scenario: path is the list's URL and first_page_url is its page 1
    Doc: 002 "Get all GET /api/chats"; public fact: lists are paginated with "current_page, data, first_page_url, from, next_page_url, path, per_page, prev_page_url, to"
    Given Acme has created 5 chats in "Acme Ltd"
    When Acme lists its chats 2 per page on page 2
    Then the call succeeds with 200
    And the page's path is the list's URL and its first_page_url is page 1 of it
