Feature: Large attachments in chunks, and voice recognition
  Seed 001, "Large attachment" and "Voice recognition".

  Background:
    Given the users Alice and Bob
    And Alice has created the room "Ops" with Bob

  @rule:U-attachment-url @rule:U-chunks-async-default @rule:U-chunks-base64 @rule:U-chunks-checksum @rule:U-chunks-reply @rule:U-chunks-reply-checksum @rule:U-chunks-reply-size @rule:U-chunks-sync-size @rule:U-chunks-upload-id @rule:U-chunks-upload-id-in-record @rule:U-post-upload-id
  Scenario: A file uploaded in sync chunks of 64,000 bytes can be attached
    Doc: 001 "If async=falsе then the size of the chunk should be 64,000 bytes"
    When Alice uploads a file of 150000 bytes named "report.pdf" in sync chunks
    Then every chunk reply repeats the file size and the file checksum
    When Alice posts "see the report" to "Ops" with the upload
    Then the reply's message carries the upload id
    And the reply's message has 1 attachment of type "application/pdf" without a preview
    And the attachment's link downloads the uploaded bytes

  @rule:U-chunks-async-max @rule:U-chunks-async-order @rule:U-chunks-chunk-id @rule:U-chunks-reply-checksum @rule:U-chunks-reply-size
  Scenario: Async chunks may arrive in any order
    Doc: 001 "Chunks can be sent in a different order. When assembling the file, the pieces will be combined into a single file, sorted by chunk_id in turn."
    When Alice uploads a file of 2500000 bytes named "clip.png" in async chunks of 1000000 bytes in reverse order
    Then every chunk reply gives the chunk's size and checksum
    When Alice posts "see the clip" to "Ops" with the upload
    Then the reply's message has 1 attachment of type "image/png" with a preview
    And the attachment's link downloads the uploaded bytes

  @rule:U-chunks-sync-size
  Scenario: A sync chunk of the wrong size is refused
    Doc: 001 "If async=falsе then the size of the chunk should be 64,000 bytes"
    When Alice starts a sync upload of 150000 bytes with a first chunk of 1000 bytes
    Then the call fails with error "invalid_chunk"

  @rule:U-chunks-async-max
  Scenario: An async chunk over 1 MiB is refused
    Doc: 001 "otherwise if async=true then the chunk should not exceed 1 megabyte (1048576 bytes)."
    When Alice starts an async upload of 2000000 bytes with a first chunk of 1048577 bytes
    Then the call fails with error "invalid_chunk"

  @rule:U-chunks-checksum @rule:U-chunks-upload-id-in-record
  Scenario: A file whose checksum does not match is refused
    Doc: 001 "After the file has been completely uploaded, and the file size and checksum match, the key upload_id will be included into message record."
    When Alice uploads a file of 1000 bytes with a wrong checksum
    Then the call fails with error "checksum_mismatch"

  @rule:U-chunks-file-size
  Scenario: Chunks that add up to more than the file size are refused
    Doc: 001 "file_size: file size in bytes"
    When Alice starts a sync upload of 100 bytes with a first chunk of 200 bytes
    Then the call fails with error "size_mismatch"

  @rule:U-chunks-upload-id-in-record
  Scenario: An incomplete upload cannot be attached
    Doc: 001 "After the file has been completely uploaded, and the file size and checksum match, the key upload_id will be included into message record."
    When Alice starts a sync upload of 150000 bytes with a first chunk of 64000 bytes
    And Alice posts "too soon" to "Ops" with the upload
    Then the call fails with error "upload_incomplete"

  @rule:U-voice-completed-transcript @rule:U-voice-flag @rule:U-voice-pending @rule:U-voice-result @rule:U-voice-result-record @rule:U-voice-start
  Scenario: Voice recognition is pending, then completed with a transcript
    Doc: 001 "If the status = pending, then processing is still in progress." and "If the status = completed, the transcript field must be filled."
    When Alice uploads the voice note "hello world" as "note.ogg" for "Ops"
    And Alice starts voice recognition of the upload
    Then the recognition status is "pending"
    When Alice polls the voice recognition result until it is done
    Then the recognition status is "completed" with the transcript "hello world"

  @rule:U-voice-failed-error @rule:U-voice-result
  Scenario: Voice recognition of something that is not audio fails with an error
    Doc: 001 "If the status = failed, the error field must be filled."
    When Alice uploads the voice note "not audio" as "note.txt" for "Ops"
    And Alice starts voice recognition of the upload
    And Alice polls the voice recognition result until it is done
    Then the recognition status is "failed" with an error

  @rule:U-voice-subscription
  Scenario: Voice recognition needs the subscription the note is for
    Doc: 001 "subscription_id: only with voice_recognition=true. Subscription where the attachment will be sent."
    When Alice uploads a voice note without a subscription
    Then the call fails with error "invalid_args"

  @rule:U-chunks-async-chunk-id-required
  Scenario: An async chunk without chunk_id is refused
    Doc: 001 "If async = true then the chunk_id field is required."
    When Alice starts an async upload of 2000000 bytes with a first chunk of 1000000 bytes
    Then the call succeeds
    When Alice starts an async upload of 2000000 bytes with a first chunk of 1000000 bytes without chunk_id
    Then the call fails with error "invalid_args"

  @rule:U-chunks-file-name
  Scenario: An uploaded file gets the name given as file_name
    Doc: 001 "file_name: file name to be assigned after it is fully uploaded"
    When Alice uploads a file of 1000 bytes named "minutes.txt" in sync chunks
    And Alice posts "see the minutes" to "Ops" with the upload
    Then the reply's message's attachment is named "minutes.txt"

  @rule:U-chunks-content-type
  Scenario: content_type sets the type of the uploaded file
    Doc: 001 "content_type: if present, sets the content type attribute of the file"
    When Alice uploads a file of 1000 bytes named "table.dat" with the content type "text/csv" in sync chunks
    And Alice posts "as csv" to "Ops" with the upload
    Then the reply's message has 1 attachment of type "text/csv" without a preview

  @rule:U-chunks-upload-id-array
  Scenario: Several uploads attach to one message as an array
    Doc: 001 "or as an array, if several attachments are loadedy:"
    When Alice uploads a file of 1000 bytes named "a.txt" in sync chunks
    And Alice uploads a second file of 2000 bytes named "b.txt" in sync chunks
    And Alice posts "two files" to "Ops" with both uploads
    Then the reply's message carries both upload ids as an array
    And the reply's message has 2 attachments of type "text/plain" without a preview

  @rule:U-post-upload-id-empty
  Scenario: An empty upload_id attaches nothing
    Doc: 001 "If the string is empty, all attachments will be destroyed."
    When Alice uploads a file of 1000 bytes named "notes.txt" in sync chunks
    And Alice posts "nothing attached" to "Ops" with upload_id ""
    Then the reply's message carries no attachment and no upload id

  @rule:U-post-upload-id-forms
  Scenario: upload_id may be a number or nil as well as an array
    Doc: 001 "Available: nil, empty string, array, number."
    When Alice uploads a file of 1000 bytes named "one.txt" in sync chunks
    And Alice posts "by number" to "Ops" with the upload id as a number
    Then the reply's message carries the upload id
    And the reply's message has 1 attachment of type "text/plain" without a preview
    When Alice posts "by nil" to "Ops" with upload_id nil
    Then the reply's message carries no attachment and no upload id
