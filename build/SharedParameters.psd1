# The one source of the help texts of the parameters many cmdlets share: the aws CLI's global options, the
# options of several operations, and PowerShell's own. build/New-CmdletDocs.ps1 writes them into docs/ (new docs,
# and -Refresh for existing ones); tests/Help.Tests.ps1 fails when a doc's text of a Shared one differs from it.
@{
  # Cmdlets that are no KMS operation (the server's, seeding, the Encryption SDK format's): documented by hand, and their -PassThru means what their own docs say.
  NotKmsOperations = @('Start-KmsServer', 'Get-KmsServer', 'Stop-KmsServer', 'Import-KmsKeyStoreSeed', 'Protect-KmsFile', 'Unprotect-KmsFile', 'Protect-KmsData', 'Unprotect-KmsData', 'Get-KmsEncryptedMessage')
  Shared = @{
    Region = 'The AWS Region (the CLI''s --region). Keys are regional, in the local store as in KMS. Default: $env:AWS_REGION, then $env:AWS_DEFAULT_REGION, then the profile''s region, then us-east-1. China Regions (cn-north-1, cn-northwest-1) use the aws-cn partition and allow SM2.'
    Profile = 'A named profile of the AWS config and credentials files (the CLI''s --profile; alias -ProfileName). Its region and endpoint_url apply; remote calls use its credentials. Default: $env:AWS_PROFILE.'
    EndpointUrl = 'A KMS endpoint to call (the CLI''s --endpoint-url), such as http://127.0.0.1:5000 for a local emulator. Giving one selects the remote backend. Default: $env:AWS_ENDPOINT_URL_KMS, then $env:AWS_ENDPOINT_URL, then the profile''s endpoint_url.'
    Backend = 'Local: the embedded KMS engine and its key store on disk. Remote: AWS KMS, or the endpoint of -EndpointUrl. Default: $env:KMSTOOLS_BACKEND; otherwise Remote only when an endpoint is configured.'
    NoVerifySsl = 'Does not verify the endpoint''s TLS certificate (the CLI''s --no-verify-ssl). Use it only with test endpoints.'
    CaBundle = 'A PEM file of CA certificates to trust for the endpoint''s TLS certificate (the CLI''s --ca-bundle). Default: $env:AWS_CA_BUNDLE.'
    CliReadTimeout = 'Seconds to wait for data from the endpoint: for the answer to begin, and then for each part of it (the CLI''s --cli-read-timeout). The default is 60, as in the aws CLI; 0 waits forever. A call that times out is tried again as the SDK retries, then fails with ReadTimeoutError.'
    CliConnectTimeout = 'Seconds to wait for a connection to the endpoint (the CLI''s --cli-connect-timeout). The default is 60, as in the aws CLI; 0 waits forever. A connection that times out is tried again as the SDK retries, then fails with ConnectTimeoutError.'
    NoSignRequest = 'Sends requests unsigned and loads no credentials (the CLI''s --no-sign-request).'
    CliInputJson = 'A JSON document of the operation''s request members, as -GenerateCliSkeleton input prints it (the CLI''s --cli-input-json), or file://path to such a document. Blobs are base64 strings. Parameters given on the command line override its members. Unknown members and wrong types are a ValidationException that names them.'
    GenerateCliSkeleton = 'Prints the JSON skeleton of the operation''s request (input) or response (output) and calls nothing (the CLI''s --generate-cli-skeleton).'
    Output = 'Emits what the aws CLI would print for the response (the CLI''s --output): json, text, table or yaml, as strings, instead of objects.'
    Query = 'A JMESPath expression applied to the response''s JSON form (the CLI''s --query). Without -Output the result is emitted as objects.'
    NoPaginate = 'Returns the first page only (the CLI''s --no-paginate); -Verbose says where the next page starts. By default every page is read.'
    GrantToken = 'Grant tokens (at most 10; alias -GrantTokens), for a request whose permission comes from a new grant that has not yet achieved eventual consistency: see [Grant token](https://docs.aws.amazon.com/kms/latest/developerguide/grants.html#grant_token) and [Using a grant token](https://docs.aws.amazon.com/kms/latest/developerguide/using-grant-token.html) in the *Key Management Service Developer Guide*. The local engine has no grants yet: it checks their number and length only. A remote endpoint uses them.'
    DryRun = 'Checks whether the request would succeed without performing it (see [Testing your permissions](https://docs.aws.amazon.com/kms/latest/developerguide/testing-permissions.html) in the *Key Management Service Developer Guide*). A request that would succeed fails with DryRunOperationException; one that would not fails with its real error. The local engine has no permissions to test: it checks everything else.'
    WhatIf = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
    PassThru = 'Writes what the cmdlet changed to the pipeline, as it is afterwards: the key as Get-KmsKey shows it, or the alias as Get-KmsAlias does. Without it the cmdlet writes nothing, as the KMS operation returns nothing.'
    MessageString = 'The message as text, as its UTF-8 bytes. A string given to -Message is refused, so that text is never mistaken for base64.'
    PlaintextString = 'Text to encrypt, as its UTF-8 bytes. A string given to -Plaintext is refused, so that text is never mistaken for base64.'
    Limit = 'Keys per ListKeys page, 1 to 1000. With -Limit or -Marker only that page is returned; -Verbose gives the next marker.'
    Marker = 'Where a ListKeys page starts: the marker that -Verbose reported for the previous page.'
    Tag = 'Tags as a hashtable, for example @{ team = ''ops''; env = ''prod'' }. Keys up to 128 characters, values up to 256; keys beginning with aws: are reserved.'
  }
  # Used only where the operation's own text (from the API model) is missing: each operation says what its context binds.
  Fallback = @{
    EncryptionContext = 'The encryption context: non-secret key-value pairs bound to the ciphertext; decrypting needs the same pairs, an exact, case-sensitive match. Give a hashtable (@{ purpose = ''backup'' }), the CLI''s shorthand (purpose=backup,team=ops) or a JSON object string. Values must be strings. It is not secret: AWS KMS records it in plaintext in CloudTrail logs, so never put a secret in it.'
  }
}
