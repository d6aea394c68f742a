<#
.SYNOPSIS
    Writes docs/<Cmdlet>.md in platyPS's markdown schema 2.0.0 for every exported cmdlet, from the cmdlet's own
    metadata (syntax, parameters) and the aws CLI man page of its KMS operation (description, option texts, output
    members), plus the PowerShell examples and texts kept in this script.
.DESCRIPTION
    An authoring tool, as platyPS's New-MarkdownHelp is: run it when a cmdlet is added, then edit the markdown.
    docs/ is the source of the help; build.ps1 -Task Help turns it into en-US/.
        dotnet pwsh ./build.ps1 ; dotnet pwsh ./build/New-CmdletDocs.ps1 -ManPages ../shared/spec -Force
#>
param(
    [Parameter(Mandatory)] [string] $ManPages,
    [string] $Docs = (Join-Path $PSScriptRoot '../docs'),
    [string[]] $Cmdlet,
    [switch] $Force
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../KmsTools.psd1') -Force

$operations = @{
    'New-KmsDataKeyPairWithoutPlaintext' = 'generate-data-key-pair-without-plaintext'; 'New-KmsDataKeyPair' = 'generate-data-key-pair'
    'New-KmsDataKey' = 'generate-data-key'; 'New-KmsDataKeyWithoutPlaintext' = 'generate-data-key-without-plaintext'
    'Invoke-KmsEncrypt' = 'encrypt'; 'Invoke-KmsDecrypt' = 'decrypt'; 'Invoke-KmsReEncrypt' = 're-encrypt'; 'Get-KmsRandom' = 'generate-random'
    'New-KmsKey' = 'create-key'; 'Get-KmsKey' = 'describe-key'; 'New-KmsAlias' = 'create-alias'; 'Get-KmsAlias' = 'list-aliases'
    'Update-KmsAlias' = 'update-alias'; 'Remove-KmsAlias' = 'delete-alias'; 'Update-KmsKeyDescription' = 'update-key-description'
    'Enable-KmsKey' = 'enable-key'; 'Disable-KmsKey' = 'disable-key'; 'Request-KmsKeyDeletion' = 'schedule-key-deletion'
    'Stop-KmsKeyDeletion' = 'cancel-key-deletion'; 'Enable-KmsKeyRotation' = 'enable-key-rotation'; 'Disable-KmsKeyRotation' = 'disable-key-rotation'
    'Get-KmsKeyRotationStatus' = 'get-key-rotation-status'; 'Invoke-KmsKeyRotation' = 'rotate-key-on-demand'; 'Get-KmsKeyRotation' = 'list-key-rotations'
    'Add-KmsResourceTag' = 'tag-resource'; 'Remove-KmsResourceTag' = 'untag-resource'; 'Get-KmsResourceTag' = 'list-resource-tags'; 'Get-KmsPublicKey' = 'get-public-key'
}

# Texts of the parameters every cmdlet shares (the CLI's global options) and of PowerShell-only ones.
$shared = @{
    Region = 'The AWS Region (the CLI''s --region). Keys are regional, in the local store as in KMS. Default: $env:AWS_REGION, then $env:AWS_DEFAULT_REGION, then the profile''s region, then us-east-1. China Regions (cn-north-1, cn-northwest-1) use the aws-cn partition and allow SM2.'
    Profile = 'A named profile of the AWS config and credentials files (the CLI''s --profile; alias -ProfileName). Its region and endpoint_url apply; remote calls use its credentials. Default: $env:AWS_PROFILE.'
    EndpointUrl = 'A KMS endpoint to call (the CLI''s --endpoint-url), such as http://127.0.0.1:5000 for a local emulator. Giving one selects the remote backend. Default: $env:AWS_ENDPOINT_URL_KMS, then $env:AWS_ENDPOINT_URL, then the profile''s endpoint_url.'
    Backend = 'Local: the embedded KMS engine and its key store on disk. Remote: AWS KMS, or the endpoint of -EndpointUrl. Default: $env:KMSTOOLS_BACKEND; otherwise Remote only when an endpoint is configured.'
    NoVerifySsl = 'Does not verify the endpoint''s TLS certificate (the CLI''s --no-verify-ssl). Use it only with test endpoints.'
    CaBundle = 'A PEM file of CA certificates to trust for the endpoint''s TLS certificate (the CLI''s --ca-bundle). Default: $env:AWS_CA_BUNDLE.'
    CliReadTimeout = 'Seconds to wait for the endpoint''s response (the CLI''s --cli-read-timeout); 0 waits forever.'
    CliConnectTimeout = 'Seconds to wait for a connection to the endpoint (the CLI''s --cli-connect-timeout); 0 waits forever.'
    NoSignRequest = 'Sends requests unsigned and loads no credentials (the CLI''s --no-sign-request).'
    CliInputJson = 'A JSON document of the operation''s request members, as -GenerateCliSkeleton input prints it (the CLI''s --cli-input-json), or file://path to such a document. Blobs are base64 strings. Parameters given on the command line override its members. Unknown members and wrong types are a ValidationException that names them.'
    GenerateCliSkeleton = 'Prints the JSON skeleton of the operation''s request (input) or response (output) and calls nothing (the CLI''s --generate-cli-skeleton).'
    Output = 'Emits what the aws CLI would print for the response (the CLI''s --output): json, text, table or yaml, as strings, instead of objects.'
    Query = 'A JMESPath expression applied to the response''s JSON form (the CLI''s --query). Without -Output the result is emitted as objects.'
    NoPaginate = 'Returns the first page only (the CLI''s --no-paginate); -Verbose says where the next page starts. By default every page is read.'
    EncryptionContext = 'The encryption context: non-secret key-value pairs bound to the ciphertext; decrypting needs the same pairs, an exact, case-sensitive match. Give a hashtable (@{ purpose = ''backup'' }), the CLI''s shorthand (purpose=backup,team=ops) or a JSON object string. Values must be strings. Do not put secrets here: KMS logs it in plaintext.'
    GrantToken = 'Grant tokens (at most 10). The local engine has no grants and only checks their number and length; a remote endpoint uses them.'
    DryRun = 'Checks whether the request would succeed without performing it. A request that would succeed fails with DryRunOperationException; one that would not fails with its real error.'
    WhatIf = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
    PassThru = 'Writes the new alias to the pipeline (CreateAlias itself returns nothing).'
    PlaintextString = 'Text to encrypt, as its UTF-8 bytes. A string given to -Plaintext is read as base64 instead, never as text.'
    Limit = 'Keys per ListKeys page, 1 to 1000. With -Limit or -Marker only that page is returned; -Verbose gives the next marker.'
    Marker = 'Where a ListKeys page starts: the marker that -Verbose reported for the previous page.'
    Tag = 'Tags as a hashtable, for example @{ team = ''ops''; env = ''prod'' }. Keys up to 128 characters, values up to 256; keys beginning with aws: are reserved.'
}

# PowerShell examples: title, code, remarks. At least two per cmdlet.
$examples = @{
    'New-KmsDataKeyPairWithoutPlaintext' = @(
        ,@('Generate an ECC NIST P384 data key pair (the man page''s example)', 'New-KmsDataKeyPairWithoutPlaintext -KeyId 1234abcd-12ab-34cd-56ef-1234567890ab -KeyPairSpec ECC_NIST_P384', 'The aws CLI''s generate-data-key-pair-without-plaintext --key-id 1234abcd-12ab-34cd-56ef-1234567890ab --key-pair-spec ECC_NIST_P384. The result has the public key in the clear (PublicKey, PublicKeyBase64, PublicKeyPem) and the private key encrypted under the KMS key (PrivateKeyCiphertextBlob); the plaintext private key is never returned.')
        ,@('Bind the private key to an encryption context', 'New-KmsDataKeyPairWithoutPlaintext -KeyId alias/backup -KeyPairSpec RSA_3072 -EncryptionContext @{ purpose = ''backup''; team = ''ops'' }', 'Decrypting the private key later needs the same context. The shorthand purpose=backup,team=ops and the JSON {"purpose":"backup","team":"ops"} work too.')
        ,@('Pipe keys from Get-KmsKey', 'Get-KmsKey -KeyId alias/backup | New-KmsDataKeyPairWithoutPlaintext -KeyPairSpec ECC_NIST_P256', 'KeyId binds by property name, so any object with a KeyId property works, including results read back with Import-Clixml.')
        ,@('Save the public key as PEM and the pair for later', "`$pair = New-KmsDataKeyPairWithoutPlaintext -KeyId alias/backup -KeyPairSpec ECC_NIST_P256`n`$pair.PublicKeyPem | Set-Content backup.pub.pem -NoNewline`n`$pair | Export-Clixml backup-key.clixml", 'openssl pkey -pubin -in backup.pub.pem reads the public key. The clixml file holds only the encrypted private key.')
        ,@('Decrypt the private key when it is needed', "`$private = Import-Clixml backup-key.clixml | Invoke-KmsDecrypt`n[IO.File]::WriteAllBytes('backup.p8.der', `$private.Plaintext)", 'Invoke-KmsDecrypt takes the blob, the KeyId and the EncryptionContext of the saved result by property name. Plaintext is the DER PKCS#8 private key; keep it no longer than needed.')
    )
    'New-KmsDataKeyPair' = @(
        ,@('Generate an RSA data key pair with its private key', '$pair = New-KmsDataKeyPair -KeyId alias/signing -KeyPairSpec RSA_2048', 'PrivateKeyPlaintext is the DER PKCS#8 private key for immediate use; PrivateKeyCiphertextBlob is the same key encrypted under the KMS key, to store.')
        ,@('Write the private key as PEM for openssl', '(New-KmsDataKeyPair -KeyId alias/signing -KeyPairSpec ECC_NIST_P256).PrivateKeyPem | Set-Content key.pem -NoNewline', 'PrivateKeyPem is "-----BEGIN PRIVATE KEY-----" PKCS#8. Default views show only its length.')
    )
    'New-KmsDataKey' = @(
        ,@('Generate a 256-bit data key', '$dataKey = New-KmsDataKey -KeyId alias/app -KeySpec AES_256', 'Plaintext is the key for immediate use; CiphertextBlob is its encrypted copy to store beside the data.')
        ,@('Generate 64 random bytes under a context', 'New-KmsDataKey -KeyId alias/app -NumberOfBytes 64 -EncryptionContext @{ file = ''report.pdf'' }', 'Give -KeySpec or -NumberOfBytes, not both.')
    )
    'New-KmsDataKeyWithoutPlaintext' = @(
        ,@('Generate an encrypted data key for later', 'New-KmsDataKeyWithoutPlaintext -KeyId alias/app -KeySpec AES_256 | Export-Clixml datakey.clixml', 'Only the encrypted copy is returned.')
        ,@('Decrypt it when it is needed', 'Import-Clixml datakey.clixml | Invoke-KmsDecrypt', 'The blob and the key id bind by property name.')
    )
    'Invoke-KmsEncrypt' = @(
        ,@('Encrypt text', 'Invoke-KmsEncrypt -KeyId alias/app -PlaintextString ''db password'' -EncryptionContext @{ app = ''billing'' }', 'The text is encrypted as UTF-8. Up to 4096 bytes.')
        ,@('Encrypt a file''s bytes and save the blob', '(Invoke-KmsEncrypt -KeyId alias/app -Plaintext (Get-Item secret.bin)).CiphertextBlob | Set-Content secret.enc -AsByteStream', '-Plaintext takes a byte[], a base64 string or a file.')
    )
    'Invoke-KmsDecrypt' = @(
        ,@('Decrypt a blob from a file', '$result = Invoke-KmsDecrypt -CiphertextBlob (Get-Item secret.enc) -EncryptionContext @{ app = ''billing'' }', '-CiphertextBlob takes a byte[], a base64 string or a file. Plaintext is a byte[]; default views show its length only.')
        ,@('Decrypt a piped result, checking its key', 'Invoke-KmsEncrypt -KeyId alias/app -PlaintextString hello | Invoke-KmsDecrypt -KeyId alias/app', 'With -KeyId, a blob of any other key fails with IncorrectKeyException.')
    )
    'Invoke-KmsReEncrypt' = @(
        ,@('Move a blob to another key', 'Invoke-KmsEncrypt -KeyId alias/old -PlaintextString hello | Invoke-KmsReEncrypt -DestinationKeyId alias/new', 'The blob, its key and its context bind by property name; the plaintext never reaches the caller.')
        ,@('Change the encryption context', 'Invoke-KmsReEncrypt -CiphertextBlob $blob -SourceEncryptionContext @{ v = ''1'' } -DestinationKeyId alias/app -DestinationEncryptionContext @{ v = ''2'' }', 'The new blob decrypts with the destination context only.')
    )
    'Get-KmsRandom' = @(
        ,@('Get 32 random bytes', '(Get-KmsRandom -NumberOfBytes 32).Plaintext', 'From 1 to 1024 bytes.')
        ,@('Make a random base64 token', '[Convert]::ToBase64String((Get-KmsRandom 24).Plaintext)', 'The bytes come from the platform''s cryptographic random generator locally, from KMS remotely.')
    )
    'New-KmsKey' = @(
        ,@('Create a symmetric encryption key', 'New-KmsKey -Description ''data keys for backups''', 'SYMMETRIC_DEFAULT and ENCRYPT_DECRYPT are the defaults.')
        ,@('Create a signing key with tags', 'New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY -Tag @{ team = ''ops'' }', 'Asymmetric and HMAC keys need -KeyUsage.')
    )
    'Get-KmsKey' = @(
        ,@('Describe a key by alias', 'Get-KmsKey -KeyId alias/backup', 'KeyId takes a key id, key ARN, alias name or alias ARN.')
        ,@('List every key of the region', 'Get-KmsKey -Region eu-west-1', 'Without -KeyId every key is described, all pages.')
    )
    'New-KmsAlias' = @(
        ,@('Name a key', 'New-KmsAlias -AliasName alias/backup -TargetKeyId 1234abcd-12ab-34cd-56ef-1234567890ab', 'Alias names start with alias/; alias/aws/ is reserved.')
        ,@('Create a key and its alias in one pipeline', 'New-KmsKey -Description backups | New-KmsAlias -AliasName alias/backup -PassThru', 'TargetKeyId binds from KeyId by property name.')
    )
    'Get-KmsAlias' = @(
        ,@('List every alias', 'Get-KmsAlias', 'Every page is read.')
        ,@('List the aliases of one key', 'Get-KmsAlias -KeyId 1234abcd-12ab-34cd-56ef-1234567890ab', '')
    )
    'Update-KmsAlias' = @(
        ,@('Point an alias at a new key', 'Update-KmsAlias -AliasName alias/backup -TargetKeyId (New-KmsKey).KeyId', 'The new key must have the same key spec and usage.')
        ,@('Preview the change', 'Update-KmsAlias alias/backup $newKeyId -WhatIf', '')
    )
    'Remove-KmsAlias' = @(
        ,@('Delete an alias', 'Remove-KmsAlias -AliasName alias/old -Confirm:$false', 'The key it named is not affected.')
        ,@('Delete the aliases of a key', 'Get-KmsAlias -KeyId $keyId | Remove-KmsAlias', 'Asks before each deletion.')
    )
    'Update-KmsKeyDescription' = @(
        ,@('Change a description', 'Update-KmsKeyDescription -KeyId alias/backup -Description ''backups, 2027''', '')
        ,@('Describe keys from a CSV', 'Import-Csv keys.csv | Update-KmsKeyDescription', 'KeyId and Description bind by property name.')
    )
    'Enable-KmsKey' = @(
        ,@('Enable a key', 'Enable-KmsKey -KeyId alias/backup', '')
        ,@('Enable every disabled key', 'Get-KmsKey | Where-Object KeyState -eq Disabled | Enable-KmsKey', '')
    )
    'Disable-KmsKey' = @(
        ,@('Disable a key', 'Disable-KmsKey -KeyId alias/backup', 'Cryptographic operations with it fail with DisabledException until it is enabled.')
        ,@('Preview disabling keys', 'Get-KmsKey | Disable-KmsKey -WhatIf', '')
    )
    'Request-KmsKeyDeletion' = @(
        ,@('Schedule a deletion in 7 days', 'Request-KmsKeyDeletion -KeyId alias/old -PendingWindowInDays 7', 'Asks first. The key is PendingDeletion until then; Stop-KmsKeyDeletion cancels.')
        ,@('Schedule without a prompt, in a script', 'Request-KmsKeyDeletion -KeyId $keyId -Confirm:$false', 'The default window is 30 days.')
    )
    'Stop-KmsKeyDeletion' = @(
        ,@('Cancel a scheduled deletion', 'Stop-KmsKeyDeletion -KeyId $keyId', 'The key becomes Disabled; Enable-KmsKey makes it usable.')
        ,@('Cancel and enable', 'Stop-KmsKeyDeletion $keyId | Enable-KmsKey', '')
    )
    'Enable-KmsKeyRotation' = @(
        ,@('Rotate yearly', 'Enable-KmsKeyRotation -KeyId alias/backup', 'The default period is 365 days.')
        ,@('Rotate every 90 days', 'Enable-KmsKeyRotation -KeyId alias/backup -RotationPeriodInDays 90', '90 to 2560 days.')
    )
    'Disable-KmsKeyRotation' = @(
        ,@('Stop automatic rotation', 'Disable-KmsKeyRotation -KeyId alias/backup', '')
        ,@('Stop it for every key', 'Get-KmsKey | Disable-KmsKeyRotation -WhatIf', '')
    )
    'Get-KmsKeyRotationStatus' = @(
        ,@('Show the rotation status', 'Get-KmsKeyRotationStatus -KeyId alias/backup', '')
        ,@('Find keys without rotation', 'Get-KmsKey | Where-Object KeySpec -eq SYMMETRIC_DEFAULT | Get-KmsKeyRotationStatus | Where-Object { -not $_.KeyRotationEnabled }', '')
    )
    'Invoke-KmsKeyRotation' = @(
        ,@('Rotate now', 'Invoke-KmsKeyRotation -KeyId alias/backup', 'New blobs use the new key material; older blobs still decrypt.')
        ,@('Rotate and list rotations', 'Invoke-KmsKeyRotation alias/backup | Get-KmsKeyRotation', '')
    )
    'Get-KmsKeyRotation' = @(
        ,@('List the rotations of a key', 'Get-KmsKeyRotation -KeyId alias/backup', '')
        ,@('Show the latest rotation', 'Get-KmsKeyRotation alias/backup | Select-Object -Last 1', '')
    )
    'Add-KmsResourceTag' = @(
        ,@('Tag a key', 'Add-KmsResourceTag -KeyId alias/backup -Tag @{ team = ''ops''; env = ''prod'' }', 'An existing tag keeps its place and takes the new value.')
        ,@('Tag keys from the pipeline', 'Get-KmsKey | Add-KmsResourceTag -Tag @{ audited = ''2027'' }', '')
    )
    'Remove-KmsResourceTag' = @(
        ,@('Remove tags', 'Remove-KmsResourceTag -KeyId alias/backup -TagKey env, team', '')
        ,@('Preview', 'Remove-KmsResourceTag alias/backup env -WhatIf', '')
    )
    'Get-KmsResourceTag' = @(
        ,@('List the tags of a key', 'Get-KmsResourceTag -KeyId alias/backup', '')
        ,@('As a hashtable', '$tags = @{}; Get-KmsResourceTag alias/backup | ForEach-Object { $tags[$_.TagKey] = $_.TagValue }', '')
    )
    'Get-KmsPublicKey' = @(
        ,@('Save the public key of a signing key', '(Get-KmsPublicKey -KeyId alias/signing).PublicKeyPem | Set-Content signing.pub.pem -NoNewline', 'Only asymmetric KMS keys have one.')
        ,@('Show the algorithms', 'Get-KmsKey alias/signing | Get-KmsPublicKey', '')
    )
}

function ConvertFrom-ManText([string[]] $Lines) {
    # Man pages are justified and hyphenated: join lines, undo "word-\n word" breaks, collapse runs of spaces.
    $text = ($Lines | ForEach-Object { $_.Trim() }) -join "`n"
    $text = [regex]::Replace($text, '(\w)-\n(\w)', '$1$2')
    $text = $text -replace '\n', ' ' -replace '\s{2,}', ' '
    return $text.Trim()
}

function Get-Paragraphs([string[]] $Lines) {
    $paragraphs = @(); $current = @()
    foreach ($line in $Lines) {
        if ($line.Trim() -eq '') { if ($current) { $paragraphs += ,(ConvertFrom-ManText $current); $current = @() } }
        else { $current += $line }
    }
    if ($current) { $paragraphs += ,(ConvertFrom-ManText $current) }
    return $paragraphs
}

function Read-ManPage([string] $Path) {
    $lines = Get-Content $Path
    $sections = @{}; $name = $null
    foreach ($line in $lines) {
        if ($line -match '^([A-Z][A-Z ]+)$') { $name = $Matches[1].Trim(); $sections[$name] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($name) { $sections[$name].Add($line) }
    }
    $description = @(Get-Paragraphs ($sections['DESCRIPTION'] | Where-Object { $_ -notmatch 'See also: AWS API Documentation' }))
    $options = @{}; $option = $null; $body = @()
    foreach ($line in $sections['OPTIONS']) {
        if ($line -match '^\s{7}--([a-z-]+)(?: \| --no-[a-z-]+)? \(') {
            if ($option) { $options[$option] = $body }
            $option = $Matches[1]; $body = @(); continue
        }
        if ($line -match '^\s{7}--') { if ($option) { $options[$option] = $body }; $option = $null; continue }
        if ($option) { $body += $line }
    }
    if ($option) { $options[$option] = $body }
    $outputs = [ordered]@{}; $member = $null; $body = @()
    foreach ($line in $sections['OUTPUT']) {
        if ($line -match '^\s{7}(\w+) -> \(') { if ($member) { $outputs[$member] = ConvertFrom-ManText $body }; $member = $Matches[1]; $body = @(); $nested = $false; continue }
        if ($line -match '^\s{7}\S') { if ($member) { $outputs[$member] = ConvertFrom-ManText $body }; $member = $null; continue }
        if ($member -and $line -match '^\s{10}\S' -and $line -notmatch '->\s\(' -and -not $nested) { $body += $line }
        if ($member -and $line -match '->\s\(') { $nested = $true }
    }
    if ($member) { $outputs[$member] = ConvertFrom-ManText $body }
    [pscustomobject]@{ Description = $description; Options = $options; Outputs = $outputs }
}

function Get-OptionText($Man, [string] $Parameter) {
    $cli = ($Parameter -creplace '([a-z])([A-Z])', '$1-$2').ToLowerInvariant()
    if (-not $Man.Options.ContainsKey($cli)) { return $null }
    $lines = $Man.Options[$cli]
    $paragraphs = Get-Paragraphs ($lines | Where-Object { $_ -notmatch '^\s*(Syntax:|Shorthand Syntax:|JSON Syntax:|"string"|\{|\}|key -> |value -> |\(string\)\s*$|\.\.\.\}|KeyName1=)' })
    $values = @($lines | Where-Object { $_ -match '^\s{10}o ([A-Z0-9_]+)\s*$' } | ForEach-Object { $_.Trim().Substring(2) })
    $text = ($paragraphs | Where-Object { $_ -notmatch '^o [A-Z0-9_]+$' -and $_ -ne 'Possible values:' -and $_ -notmatch '^WARNING:' }) -join "`n`n"
    [pscustomobject]@{ Text = $text; Values = $values }
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return "$($underlying.Name)" }
    return $Type.Name
}

$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$moduleCommands = Get-Command -Module KmsTools | Sort-Object Name
if ($Cmdlet) { $moduleCommands = $moduleCommands | Where-Object Name -in $Cmdlet }
foreach ($command in $moduleCommands) {
    $path = Join-Path $Docs "$($command.Name).md"
    if ((Test-Path $path) -and -not $Force) { Write-Host "kept $path"; continue }
    $man = Read-ManPage (Join-Path $ManPages "cli/$($operations[$command.Name]).txt")
    $seed = Join-Path $ManPages "$($operations[$command.Name]).txt"
    if ($command.Name -eq 'New-KmsDataKeyPairWithoutPlaintext' -and (Test-Path $seed)) { $man = Read-ManPage $seed }
    $synopsis = ($man.Description[0] -split '(?<=\.)\s')[0]
    $md = [System.Text.StringBuilder]::new()
    $null = $md.AppendLine('---').AppendLine('external help file: KmsTools.dll-Help.xml').AppendLine('Module Name: KmsTools')
    $null = $md.AppendLine("online version: https://docs.aws.amazon.com/cli/latest/reference/kms/$($operations[$command.Name]).html").AppendLine('schema: 2.0.0').AppendLine('---').AppendLine()
    $null = $md.AppendLine("# $($command.Name)").AppendLine().AppendLine('## SYNOPSIS').AppendLine($synopsis).AppendLine().AppendLine('## SYNTAX').AppendLine()
    foreach ($set in $command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name) {
        $title = if ($set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name }
        $syntax = ($set.ToString() -replace '\[-(\w+)\]', '[-$1]')
        $null = $md.AppendLine("### $title").AppendLine('```').AppendLine("$($command.Name) $syntax").AppendLine('```').AppendLine()
    }
    $null = $md.AppendLine('## DESCRIPTION')
    $description = $man.Description | Where-Object { $_ -notmatch '^(Required permissions|Related operations|o [A-Z]|Eventual consistency|Cross-account use)' }
    $null = $md.AppendLine(($description -join "`n`n")).AppendLine()
    $null = $md.AppendLine('## EXAMPLES').AppendLine()
    $i = 0
    foreach ($example in $examples[$command.Name]) {
        $i++
        $null = $md.AppendLine("### Example $($i): $($example[0])").AppendLine('```powershell').AppendLine($example[1]).AppendLine('```').AppendLine()
        if ($example[2]) { $null = $md.AppendLine($example[2]).AppendLine() }
    }
    $null = $md.AppendLine('## PARAMETERS').AppendLine()
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters } | Sort-Object Name
    foreach ($parameter in $parameters) {
        $option = Get-OptionText $man $parameter.Name
        $text = if ($shared.ContainsKey($parameter.Name) -and ($parameter.Name -notin 'EncryptionContext', 'GrantToken', 'DryRun' -or -not $option)) { $shared[$parameter.Name] }
                elseif ($option -and $option.Text) { $option.Text }
                else { "TODO: describe -$($parameter.Name)." }
        if ($parameter.Name -eq 'KeyPairSpec') { $accepted = 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519' }
        elseif ($option -and $option.Values) { $accepted = $option.Values } else { $accepted = @() }
        if ($accepted -and $text -notmatch 'Possible values') { $text += "`n`nPossible values: $($accepted -join ', ')." }
        $null = $md.AppendLine("### -$($parameter.Name)").AppendLine($text).AppendLine()
        $sets = @($parameter.ParameterSets.Keys)
        $setNames = if ($sets -contains '__AllParameterSets') { '(All)' } else { ($sets | Sort-Object) -join ', ' }
        $mandatory = @($parameter.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0
        $positions = @($parameter.ParameterSets.Values | ForEach-Object Position | Where-Object { $_ -ge 0 } | Sort-Object -Unique)
        $position = if ($positions.Count) { $positions[0] } else { 'Named' }
        $byValue = @($parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $pipeline = if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $aliases = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { '' }
        $validateSet = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        if ($validateSet) { $accepted = $validateSet.ValidValues }
        $null = $md.AppendLine('```yaml').AppendLine("Type: $(Get-TypeName $parameter.ParameterType)").AppendLine("Parameter Sets: $setNames").AppendLine("Aliases: $aliases")
        if ($accepted) { $null = $md.AppendLine("Accepted values: $($accepted -join ', ')") }
        $null = $md.AppendLine().AppendLine("Required: $mandatory").AppendLine("Position: $position").AppendLine('Default value: None').AppendLine("Accept pipeline input: $pipeline").AppendLine('Accept wildcard characters: False').AppendLine('```').AppendLine()
    }
    $null = $md.AppendLine('### CommonParameters')
    $null = $md.AppendLine('This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).').AppendLine()
    $null = $md.AppendLine('## INPUTS').AppendLine()
    $inputs = $command.Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } } | Sort-Object Name
    $null = $md.AppendLine('### System.Management.Automation.PSObject')
    $null = $md.AppendLine("Objects with properties named $((($inputs.Name) | ForEach-Object { $_ }) -join ', ') bind to those parameters by property name, such as the results of other KmsTools cmdlets or their Import-Clixml copies.").AppendLine()
    $null = $md.AppendLine('## OUTPUTS').AppendLine()
    $views = @{
        PublicKeyBase64 = 'PublicKey as a base64 string.'; PrivateKeyCiphertextBlobBase64 = 'PrivateKeyCiphertextBlob as a base64 string.'
        CiphertextBlobBase64 = 'CiphertextBlob as a base64 string.'
        PublicKeyPem = 'The public key as PEM (SubjectPublicKeyInfo, -----BEGIN PUBLIC KEY-----), ready for openssl and Set-Content.'
        PrivateKeyPem = 'The private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----). A secret: default views never show it.'
        EncryptionContext = 'The encryption context the ciphertext is bound to (non-secret), so that the result pipes into Invoke-KmsDecrypt.'
        PlaintextLength = 'The length of Plaintext: what default views show instead of the bytes.'
        KeyMaterialId = 'The identifier (64 lowercase hex digits) of the key material that encrypted the ciphertext; Decrypt reports the same id.'
    }
    foreach ($type in $command.OutputType) {
        $null = $md.AppendLine("### $($type.Name)")
        $members = foreach ($property in $type.Type.GetProperties()) {
            $text = if ($man.Outputs.Contains($property.Name)) { $man.Outputs[$property.Name] } elseif ($views.ContainsKey($property.Name)) { $views[$property.Name] } else { "As in the $($property.DeclaringType.Name) of aws kms $($operations[$command.Name])." }
            "- $($property.Name): $text"
        }
        $null = $md.AppendLine(($members -join "`n")).AppendLine()
    }
    if (-not $command.OutputType) { $null = $md.AppendLine('### None').AppendLine('This cmdlet writes nothing to the pipeline, as the KMS operation returns nothing.').AppendLine() }
    $null = $md.AppendLine('## NOTES')
    $all = $man.Description -join ' '
    $notes = @($man.Description | Where-Object { $_ -match '^Required permissions' })
    if ($all -match 'Eventual consistency : (.*?)(?=$| o )') { $notes += "Eventual consistency: $($Matches[1]) The local engine is strongly consistent: a change is visible to the next call, in any process." }
    if ($command.Parameters.ContainsKey('KeyPairSpec')) { $notes += 'SM2 data key pairs exist only in China Regions (cn-north-1, cn-northwest-1; -Region cn-north-1); elsewhere the request fails with UnsupportedOperationException.' }
    $errors = 'Errors carry the KMS error name: $Error[0].FullyQualifiedErrorId is <KMS error name>,<cmdlet class>, for example NotFoundException,' + $command.ImplementingType.FullName + '.'
    $null = $md.AppendLine(((@($notes) + $errors) -join "`n`n")).AppendLine()
    $null = $md.AppendLine('## RELATED LINKS').AppendLine().AppendLine("[aws kms $($operations[$command.Name])](https://docs.aws.amazon.com/cli/latest/reference/kms/$($operations[$command.Name]).html)").AppendLine().AppendLine('[about_KmsTools](about_KmsTools.md)')
    Set-Content -Path $path -Value $md.ToString().TrimEnd() -Encoding utf8NoBOM
    Write-Host "wrote $path"
}
