Feature: Files: upload URLs and download URLs
  Seed 003, "create_files" and "get_file_urls".

  Background:
    Given the users Alice and Bob

  @rule:S-create-files
  Scenario: create_files returns an upload URL for each file
    Doc: 003 "create_files: [ { name: "1.png", size: 240, content_type: "image/png" }, { name: "2.jpeg", size: 760, content_type: "image/jpeg" }"
    When Alice creates the files "1.png" and "2.jpeg"
    Then the reply lists the files "1.png" and "2.jpeg" with their sizes, types and upload URLs

  @rule:S-get-file-urls
  Scenario: get_file_urls gives a URL for every file asked, in the order asked
    Doc: 003 "get_file_urls: { file_ids: ["63077ad836b78c3d82af0812", "63077ad836b78c3d82af0813"]"
    Given Alice has created the files "a.png" and "b.png"
    When Alice gets the URLs of "b.png" and "a.png"
    Then the reply gives a URL for "b.png" and "a.png" in that order

  @rule:S-get-file-urls @rule:S-upload-url
  Scenario: An uploaded file downloads from its URL
    Doc: 003 "upload_url: "https://....""
    Given Alice has created the file "notes.txt"
    When Alice uploads "hello, file" to the upload URL of "notes.txt"
    And Alice gets the URLs of "notes.txt"
    Then the URL of "notes.txt" downloads "hello, file"

  @rule:S-get-file-urls
  Scenario: An unknown file id fails
    Doc: 003 "get_file_urls: { file_ids:"
    When Alice gets the URL of the unknown file id "0000000000000000deadbeef"
    Then the request is refused with status 404 or 422 (reading S60)

  @rule:S-create-files
  Scenario: A file without a name is refused
    Doc: 003 "create_files: [ { name: "1.png", size: 240, content_type: "image/png" }"
    When Alice creates a file without a name
    Then the request is refused with status 422 (reading S59)
