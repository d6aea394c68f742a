<#
.SYNOPSIS
    Writes docs/<Cmdlet>.md in platyPS's markdown schema 2.0.0: for a new cmdlet, a complete draft; with -Refresh,
    the parts of existing docs that come from the code and the API model, keeping what authors wrote.
.DESCRIPTION
    docs/ is the source of the help (build.ps1 -Task Help turns it into en-US/). This is its authoring tool, as
    platyPS's New-MarkdownHelp and Update-MarkdownHelp are:
    - from the code: syntax, parameter sets, types, positions, pipeline input, aliases, accepted values, outputs;
    - from the KMS API model (kms-service-2.json, whose documentation keeps the links, lists and code the man pages
      lose): the description, the texts of parameters that are request members, enum values, output members,
      required permissions and related operations; with what differs in the local engine said after AWS's text;
    - from build/SharedParameters.psd1: the one text of each shared parameter (the CLI's global options, ...).
    Authors own the synopsis, the examples, the texts of PowerShell-only parameters and the notes beyond those
    made here: -Refresh keeps them. A new doc gets a TODO example, which the help tests reject until it is written.
        dotnet pwsh ./build.ps1 ; dotnet pwsh ./build/New-CmdletDocs.ps1 -ServiceModel ../shared/spec/kms-service-2.json -Refresh
#>
param(
    [Parameter(Mandatory)] [string] $ServiceModel,
    [string] $Docs = (Join-Path $PSScriptRoot '../docs'),
    [string[]] $Cmdlet,
    # Rewrites the generated parts of existing docs; without it, existing docs are left alone and only missing ones are written.
    [switch] $Refresh
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../KmsTools.psd1') -Force
Import-Module (Join-Path $PSScriptRoot 'ModelDocs.psm1') -Force
$model = Get-Content $ServiceModel -Raw | ConvertFrom-Json -AsHashtable
$texts = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'SharedParameters.psd1')
$manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../KmsTools.psd1')
$projectUri = $manifest.PrivateData.PSData.ProjectUri

# The KMS operation of each cmdlet.
$operations = [ordered]@{
    'New-KmsDataKeyPairWithoutPlaintext' = 'GenerateDataKeyPairWithoutPlaintext'; 'New-KmsDataKeyPair' = 'GenerateDataKeyPair'
    'New-KmsDataKey' = 'GenerateDataKey'; 'New-KmsDataKeyWithoutPlaintext' = 'GenerateDataKeyWithoutPlaintext'
    'Invoke-KmsEncrypt' = 'Encrypt'; 'Invoke-KmsDecrypt' = 'Decrypt'; 'Invoke-KmsReEncrypt' = 'ReEncrypt'; 'Get-KmsRandom' = 'GenerateRandom'
    'New-KmsKey' = 'CreateKey'; 'Get-KmsKey' = 'DescribeKey'; 'New-KmsAlias' = 'CreateAlias'; 'Get-KmsAlias' = 'ListAliases'
    'Update-KmsAlias' = 'UpdateAlias'; 'Remove-KmsAlias' = 'DeleteAlias'; 'Update-KmsKeyDescription' = 'UpdateKeyDescription'
    'Enable-KmsKey' = 'EnableKey'; 'Disable-KmsKey' = 'DisableKey'; 'Request-KmsKeyDeletion' = 'ScheduleKeyDeletion'
    'Stop-KmsKeyDeletion' = 'CancelKeyDeletion'; 'Enable-KmsKeyRotation' = 'EnableKeyRotation'; 'Disable-KmsKeyRotation' = 'DisableKeyRotation'
    'Get-KmsKeyRotationStatus' = 'GetKeyRotationStatus'; 'Invoke-KmsKeyRotation' = 'RotateKeyOnDemand'; 'Get-KmsKeyRotation' = 'ListKeyRotations'
    'Add-KmsResourceTag' = 'TagResource'; 'Remove-KmsResourceTag' = 'UntagResource'; 'Get-KmsResourceTag' = 'ListResourceTags'; 'Get-KmsPublicKey' = 'GetPublicKey'
    'New-KmsMac' = 'GenerateMac'; 'Test-KmsMac' = 'VerifyMac'; 'Invoke-KmsSigning' = 'Sign'; 'Test-KmsSignature' = 'Verify'
    'Get-KmsSharedSecret' = 'DeriveSharedSecret'
    'Get-KmsKeyPolicy' = 'GetKeyPolicy'; 'Write-KmsKeyPolicy' = 'PutKeyPolicy'; 'Get-KmsKeyPolicyList' = 'ListKeyPolicies'
    'New-KmsGrant' = 'CreateGrant'; 'Get-KmsGrant' = 'ListGrants'; 'Get-KmsRetirableGrant' = 'ListRetirableGrants'
    'Revoke-KmsGrant' = 'RevokeGrant'; 'Disable-KmsGrant' = 'RetireGrant'
    'Get-KmsParametersForImport' = 'GetParametersForImport'; 'Import-KmsKeyMaterial' = 'ImportKeyMaterial'; 'Remove-KmsImportedKeyMaterial' = 'DeleteImportedKeyMaterial'
    'New-KmsReplicateKey' = 'ReplicateKey'; 'Update-KmsPrimaryRegion' = 'UpdatePrimaryRegion'; 'Get-KmsKeyLastUsage' = 'GetKeyLastUsage'
}
$handWritten = $texts.NotKmsOperations
$cmdletOf = @{}
foreach ($entry in $operations.GetEnumerator()) { if (-not $cmdletOf.ContainsKey($entry.Value)) { $cmdletOf[$entry.Value] = $entry.Key } }
$cmdletOf['ListKeys'] = 'Get-KmsKey'
Set-ModelDocsCmdletMap $cmdletOf

# What is different in the local engine, said after the AWS text it qualifies (matched on the paragraph's start).
$localRemarks = [ordered]@{
    '^\*\*Cross-account use\*\*: Yes' = 'In the local engine every key belongs to its one account (`$env:KMSTOOLS_ACCOUNT_ID`, 111122223333 by default): a key ARN or alias ARN of another account is NotFoundException.'
    '^\*\*Cross-account use\*\*: You must specify a principal in your' = 'The local engine has one account (`$env:KMSTOOLS_ACCOUNT_ID`, 111122223333 by default): the grants listed are those of its keys.'
    '^\*\*Cross-account use\*\*: No' = 'The local engine has one account (`$env:KMSTOOLS_ACCOUNT_ID`, 111122223333 by default).'
    'in a different Amazon Web Services account' = 'In the local engine every key belongs to its one account (`$env:KMSTOOLS_ACCOUNT_ID`, 111122223333 by default): a key ARN or alias ARN of another account is NotFoundException.'
    '^\*\*Multi-Region primary keys\*\*' = 'The local engine makes multi-Region keys in one store: New-KmsReplicateKey puts a replica in another region of the same store, with the same key id and key material.'
    '^\*\*Imported key material\*\*' = 'The local engine imports key material into keys of origin EXTERNAL (Get-KmsParametersForImport, Import-KmsKeyMaterial): symmetric, HMAC, RSA, ECC, SM2 (China Regions) and ML-DSA keys, wrapped with RSA keys (SM2 wrapping keys need AWS KMS).'
    '^\*\*Custom key store\*\*' = 'The local engine has no custom key stores: it refuses a CustomKeyStoreId member by name.'
    'CloudTrail' = 'The local engine keeps no CloudTrail log.'
    'grants are considered along with key policies' = 'The local engine has no IAM policies: its caller ($env:KMSTOOLS_CALLER_PRINCIPAL, else the account''s root) may do what the key policy or a grant allows it (see about_KmsTools).'
    '^Attaches a key policy' = 'In the local engine the caller is $env:KMSTOOLS_CALLER_PRINCIPAL, else the account''s root principal (see about_KmsTools): the lockout safety check asks whether the new policy lets that principal call PutKeyPolicy on the key.'
    'there might be a brief delay, usually less than five minutes' = 'The local engine has no such delay: a grant applies, and is gone, as soon as the call returns; its grant tokens are accepted (a malformed one is InvalidGrantTokenException) and never needed.'
}
# PowerShell's side of parameters that are request members: what else they take and where they bind from.
$powerShellRemarks = @{
    KeyId = 'From the pipeline: key ids, ARNs and alias names by value, and the KeyId property of any object (KmsTools results, their Import-Clixml copies). Tab completes the key ids and alias names of the store.'
    Plaintext = 'Takes bytes: a byte[], a file (Get-Item path; regular files, at most 64 KB read), or an array of byte values (what ConvertFrom-Json makes of a byte[]). A string is refused, since a word such as "password" is also valid base64: encrypt text with -PlaintextString, and base64 with [Convert]::FromBase64String($text).'
    CiphertextBlob = 'Takes a byte[], a base64 string, a file (Get-Item path; regular files, at most 64 KB read) or an array of byte values, and binds from the CiphertextBlob property of a piped result, ConvertFrom-Json copies included.'
    Message = 'Takes bytes: a byte[], a file (Get-Item path; regular files, at most 64 KB read), or an array of byte values. A string is refused, since it could be text or base64: give text to -MessageString, and base64 as [Convert]::FromBase64String($text).'
    MessageType = 'The local engine signs and verifies every type: RAW, DIGEST (for SM2DSA, SM3 of Z(A), computed with the default distinguishing id 1234567812345678, followed by the message, as AWS''s offline verification with SM2 key pairs describes) and EXTERNAL_MU (the 64-byte mu of FIPS 204: SHAKE256 of SHAKE256(public key, 64), two zero bytes and the message). Tab completes the types the key''s algorithms (or -SigningAlgorithm) take.'
    Signature = 'Takes a byte[], a base64 string (SignatureBase64 of Invoke-KmsSigning''s result), a file or an array of byte values, and binds from the Signature property of a piped result.'
    Mac = 'Takes a byte[], a base64 string (MacBase64 of New-KmsMac''s result), a file or an array of byte values, and binds from the Mac property of a piped result.'
    PublicKey = 'Takes a DER SubjectPublicKeyInfo as a byte[], a file or base64, or its PEM text (-----BEGIN PUBLIC KEY-----, as openssl pkey -pubout writes it).'
    SigningAlgorithm = 'Tab completes the algorithms the key lists when -KeyId names a key of the local store.'
    MacAlgorithm = 'Tab completes the algorithm the key lists when -KeyId names a key of the local store.'
    KeyAgreementAlgorithm = 'Optional here: ECDH, the only value, is the default.'
}
$views = @{
    PublicKeyBase64 = 'PublicKey as a base64 string.'; PrivateKeyCiphertextBlobBase64 = 'PrivateKeyCiphertextBlob as a base64 string.'
    CiphertextBlobBase64 = 'CiphertextBlob as a base64 string.'
    PublicKeyPem = 'The public key as PEM (SubjectPublicKeyInfo, -----BEGIN PUBLIC KEY-----), ready for openssl and Set-Content.'
    EncryptionContext = 'The encryption context the ciphertext is bound to (non-secret), so that the result pipes into Invoke-KmsDecrypt.'
    PlaintextLength = 'The length of Plaintext: what default views show instead of the bytes.'
    PrivateKeyPlaintextLength = 'The length of PrivateKeyPlaintext, which views show instead of its bytes.'
    SignatureBase64 = 'Signature as a base64 string.'; MacBase64 = 'Mac as a base64 string.'
    SharedSecretLength = 'The length of SharedSecret, which views show instead of its bytes.'
}

function Join-Paragraphs([string[]] $Paragraphs) { ($Paragraphs | Where-Object { $_ }) -join "`n`n" }

function Add-LocalRemarks([string[]] $Paragraphs) {
    foreach ($paragraph in $Paragraphs) {
        $remark = $null
        foreach ($pattern in $localRemarks.Keys) { if ($paragraph -match $pattern) { $remark = $localRemarks[$pattern]; break } }
        if ($remark -and $paragraph -notlike "*$remark*") { "$paragraph $remark" } else { $paragraph }
    }
}

# The operation's documentation split into what goes where: the description, the required permissions, the
# eventual-consistency paragraph and the related operations (listed as links).
function Read-OperationDocs([string] $Operation) {
    $paragraphs = ConvertFrom-ModelHtml $model.operations[$Operation].documentation
    $description = [System.Collections.Generic.List[string]]::new(); $related = @(); $permissions = $null; $consistency = $null
    $inRelated = $false
    foreach ($paragraph in $paragraphs) {
        if ($paragraph -match '^\*\*Related operations:?\*\*') { $inRelated = $true; continue }
        if ($inRelated -and $paragraph -match '^- ') { $related += $paragraph.Substring(2); continue }
        $inRelated = $false
        if ($paragraph -match '^\*\*Required permissions\*\*') { $permissions = $paragraph; continue }
        if ($paragraph -match '^\*\*Eventual consistency\*\*') { $consistency = $paragraph; continue }
        $description.Add($paragraph)
    }
    [pscustomobject]@{ Description = @(Add-LocalRemarks $description); Permissions = $permissions; Consistency = $consistency; Related = $related }
}

function Get-MemberText([string] $Shape, [string] $Member) {
    $definition = $model.shapes[$Shape].members[$Member]
    $paragraphs = @(Add-LocalRemarks (ConvertFrom-ModelHtml $definition.documentation))
    $target = $model.shapes[$definition.shape]
    if ($target.type -eq 'list') { $target = $model.shapes[$target.member.shape] }
    if ($target.enum) { $paragraphs += "Possible values: $($target.enum -join ', ')." }
    return $paragraphs
}

# The request member a parameter stands for: its own name, or the plural of a list parameter (-GrantToken is GrantTokens).
function Get-RequestMember([string] $Operation, [string] $Parameter) {
    $members = $model.shapes[$model.operations[$Operation].input.shape].members
    foreach ($name in $Parameter, "${Parameter}s") { if ($members.Contains($name)) { return $name } }
    return $null
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { return "$($underlying.Name)" }
    return $Type.Name
}

# The sections of an existing doc that authors own, to carry over on -Refresh.
function Read-AuthoredParts([string] $Path) {
    $lines = Get-Content $Path
    $section = $null; $parameter = $null
    $parts = @{ Synopsis = @(); Examples = [System.Collections.Generic.List[string]]::new(); Notes = @(); Links = @(); Parameters = @{} }
    $notes = [System.Collections.Generic.List[string]]::new(); $current = [System.Collections.Generic.List[string]]::new()
    $inYaml = $false
    foreach ($line in $lines) {
        if ($line -match '^## (.+)$') { $section = $Matches[1]; $parameter = $null; continue }
        switch ($section) {
            'SYNOPSIS' { if ($line.Trim()) { $parts.Synopsis += $line } }
            'EXAMPLES' { $parts.Examples.Add($line) }
            'PARAMETERS' {
                if ($line -match '^### -(\w+)$') { $parameter = $Matches[1]; $parts.Parameters[$parameter] = [System.Collections.Generic.List[string]]::new(); continue }
                if ($line -match '^### ') { $parameter = $null; continue }
                if ($line -eq '```yaml') { $inYaml = $true; continue }
                if ($inYaml) { if ($line -eq '```') { $inYaml = $false }; continue }
                if ($parameter) { $parts.Parameters[$parameter].Add($line) }
            }
            'NOTES' { $notes.Add($line) }
            'RELATED LINKS' { if ($line.Trim()) { $parts.Links += $line } }
        }
    }
    $parts.Notes = @(((($notes -join "`n").Trim()) -split '\n\s*\n') | Where-Object { $_ })
    foreach ($name in @($parts.Parameters.Keys)) { $parts.Parameters[$name] = (($parts.Parameters[$name] -join "`n").Trim()) }
    $parts.Examples = (($parts.Examples -join "`n").Trim())
    return $parts
}

$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$moduleCommands = Get-Command -Module KmsTools | Sort-Object Name
if ($Cmdlet) { $moduleCommands = $moduleCommands | Where-Object Name -in $Cmdlet }
foreach ($command in $moduleCommands) {
    $path = Join-Path $Docs "$($command.Name).md"
    $exists = Test-Path $path
    if ($exists -and -not $Refresh) { Write-Host "kept $path (pass -Refresh to update it)"; continue }
    $operation = $operations[$command.Name]
    # The server's cmdlets are no KMS operation: their docs are written by hand (Help.Tests.ps1 checks them against the code).
    if (-not $operation -and $command.Name -in $handWritten) { if (-not $exists) { throw "Write docs/$($command.Name).md by hand." }; continue }
    if (-not $operation) { throw "$($command.Name) has no KMS operation in this script's table: add it." }
    $cli = ($operation -creplace '(?<=[a-z])(?=[A-Z])', '-').ToLowerInvariant()
    $authored = if ($exists) { Read-AuthoredParts $path } else { $null }
    $operationDocs = Read-OperationDocs $operation
    $request = $model.operations[$operation].input.shape
    $md = [System.Text.StringBuilder]::new()
    function Line([string] $text = '') { [void] $md.Append($text).Append("`n") }

    Line '---'; Line 'external help file: KmsTools.dll-Help.xml'; Line 'Module Name: KmsTools'
    Line "online version: $projectUri/blob/main/docs/$($command.Name).md"; Line 'schema: 2.0.0'; Line '---'; Line
    Line "# $($command.Name)"; Line; Line '## SYNOPSIS'
    if ($authored -and $authored.Synopsis) { $authored.Synopsis | ForEach-Object { Line (Repair-ManText $_ @{}) } }
    else {
        # The first sentence; one that leads into a list ("... using any of the following operations:") ends before its lead-in.
        $first = (($operationDocs.Description[0] -replace '\[([^\]]+)\]\([^)]+\)', '$1' -replace '`', '') -split '(?<=[.:])\s')[0]
        if ($first.EndsWith(':')) { $first = ($first -replace '\s+(using|with|in|for)\s+(any|one|all|each)\b.*$', '').TrimEnd(':', ' ') + '.' }
        Line $first
    }
    Line; Line '## SYNTAX'; Line
    foreach ($set in $command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name) {
        $title = if ($set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name }
        Line "### $title"; Line '```'; Line "$($command.Name) $($set.ToString())"; Line '```'; Line
    }
    Line '## DESCRIPTION'; Line (Join-Paragraphs $operationDocs.Description); Line
    Line '## EXAMPLES'; Line
    if ($authored -and $authored.Examples) { Line $authored.Examples; Line }
    else { Line '### Example 1: TODO'; Line '```powershell'; Line "$($command.Name) TODO"; Line '```'; Line; Line 'TODO: at least two examples, each with what it shows.'; Line }

    Line '## PARAMETERS'; Line
    foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $commonParameters } | Sort-Object Name) {
        $member = Get-RequestMember $operation $parameter.Name
        $text = if ($texts.Shared.ContainsKey($parameter.Name)) { $texts.Shared[$parameter.Name] }
                elseif ($member -and $model.shapes[$request].members[$member].documentation) {
                    Join-Paragraphs (@(Get-MemberText $request $member) + $(if ($powerShellRemarks.ContainsKey($parameter.Name)) { $powerShellRemarks[$parameter.Name] }))
                }
                elseif ($texts.Fallback.ContainsKey($parameter.Name)) { $texts.Fallback[$parameter.Name] }
                elseif ($authored -and $authored.Parameters[$parameter.Name]) { $authored.Parameters[$parameter.Name] }
                else { "TODO: describe -$($parameter.Name)." }
        Line "### -$($parameter.Name)"; Line $text; Line
        $sets = @($parameter.ParameterSets.Keys)
        $setNames = if ($sets -contains '__AllParameterSets') { '(All)' } else { ($sets | Sort-Object) -join ', ' }
        $mandatory = @($parameter.ParameterSets.Values | Where-Object IsMandatory).Count -gt 0
        $positions = @($parameter.ParameterSets.Values | ForEach-Object Position | Where-Object { $_ -ge 0 } | Sort-Object -Unique)
        $position = if ($positions.Count) { $positions[0] } else { 'Named' }
        $byValue = @($parameter.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($parameter.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $pipeline = if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $validateSet = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
        Line '```yaml'; Line "Type: $(Get-TypeName $parameter.ParameterType)"; Line "Parameter Sets: $setNames"; Line "Aliases: $($parameter.Aliases -join ', ')"
        if ($validateSet) { Line "Accepted values: $($validateSet.ValidValues -join ', ')" }
        Line; Line "Required: $mandatory"; Line "Position: $position"; Line 'Default value: None'; Line "Accept pipeline input: $pipeline"
        Line "Accept wildcard characters: $([bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))"; Line '```'; Line
    }
    Line '### CommonParameters'
    Line 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'
    Line

    Line '## INPUTS'; Line
    $inputs = $command.Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } } | Sort-Object Name
    Line '### System.Management.Automation.PSObject'
    $names = foreach ($bound in $inputs) { if ($bound.Aliases.Count) { "$($bound.Name) (or $($bound.Aliases -join ', '))" } else { $bound.Name } }
    Line "Objects with properties named $($names -join ', ') bind to those parameters by property name, such as the results of other KmsTools cmdlets or their Import-Clixml copies."; Line

    Line '## OUTPUTS'; Line
    foreach ($type in $command.OutputType) {
        Line "### $($type.Name)"
        # A change cmdlet writes its object only when asked: say so, so that nobody waits for output by default.
        if ($command.Parameters.ContainsKey('PassThru')) { Line 'With -PassThru only; without it the cmdlet writes nothing, as the KMS operation returns nothing.'; Line }
        $shape = $type.Type.Name
        $members = foreach ($property in $type.Type.GetProperties()) {
            $definition = if ($model.shapes.Contains($shape)) { $model.shapes[$shape].members[$property.Name] } else { $null }
            $text = if ($views.ContainsKey($property.Name)) { $views[$property.Name] }
                    elseif ($definition -and $definition.documentation) { (ConvertFrom-ModelHtml $definition.documentation)[0] }
                    else { "The $($property.Name) member of $shape." }
            "- $($property.Name): $text"
        }
        $methods = $type.Type.GetMethods() | Where-Object { $_.DeclaringType -eq $type.Type -and -not $_.IsSpecialName -and $_.Name -like 'Get*Pem' }
        foreach ($method in $methods) { $members += "- $($method.Name)(): A method that returns the private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----). A secret: no view or formatting path calls it." }
        Line ($members -join "`n"); Line
    }
    if (-not $command.OutputType) { Line '### None'; Line 'This cmdlet writes nothing to the pipeline, as the KMS operation returns nothing.'; Line }

    Line '## NOTES'
    $notes = [System.Collections.Generic.List[string]]::new()
    if ($operationDocs.Permissions) { $notes.Add("$($operationDocs.Permissions -replace '(?<![.])$', '.') The local engine has no IAM and no key policies yet: whoever can read and write the key store can use every key in it.") }
    if ($operationDocs.Consistency) { $notes.Add("$($operationDocs.Consistency) The local engine is strongly consistent: a change is visible to the next call, in any process.") }
    $generated = '^(\*\*)?(Required permissions|Eventual consistency)'
    if ($authored) { foreach ($note in $authored.Notes) { if ($note -notmatch $generated) { $notes.Add($note) } } }
    else {
        if ($command.Parameters.ContainsKey('KeyPairSpec')) { $notes.Add('SM2 data key pairs exist only in China Regions (cn-north-1, cn-northwest-1; -Region cn-north-1); elsewhere the request fails with UnsupportedOperationException.') }
        $notes.Add('Errors carry the KMS error name: $Error[0].FullyQualifiedErrorId is <KMS error name>,<cmdlet class>, for example NotFoundException,' + $command.ImplementingType.FullName + '.')
    }
    Line (Join-Paragraphs $notes); Line

    Line '## RELATED LINKS'; Line
    $links = [System.Collections.Generic.List[string]]::new()
    $links.Add("[aws kms $cli](https://docs.aws.amazon.com/cli/latest/reference/kms/$cli.html)")
    foreach ($related in $operationDocs.Related) { if ($related -match '^\[([^\]]+)\]\(([\w-]+)\.md\)$' -and $Matches[2] -ne $command.Name) { $links.Add("[$($Matches[2])]($($Matches[2]).md)") } }
    if ($authored) { foreach ($link in $authored.Links) { if (-not $links.Contains($link)) { $links.Add($link) } } }
    if (-not $links.Contains('[about_KmsTools](about_KmsTools.md)')) { $links.Add('[about_KmsTools](about_KmsTools.md)') }
    Line ($links -join "`n`n")
    Set-Content -Path $path -Value $md.ToString().TrimEnd() -Encoding utf8NoBOM
    Write-Host "wrote $path"
}

# The module page (platyPS's module file): every cmdlet with its synopsis, from the docs just written, so that it
# cannot fall behind the module (tests/Help.Tests.ps1 checks it lists each one).
$modulePage = Join-Path $Docs 'KmsTools.md'
$page = [System.Collections.Generic.List[string]]::new()
$page.AddRange([string[]]@('---', 'Module Name: KmsTools', "Module Guid: $($manifest.GUID)", 'Download Help Link:', "Help Version: $($manifest.ModuleVersion)", 'Locale: en-US', '---', '',
    '# KmsTools Module', '## Description', "$($manifest.Description) See about_KmsTools.", '', '## KmsTools Cmdlets'))
foreach ($command in Get-Command -Module KmsTools | Sort-Object Name) {
    $synopsis = (Get-Content (Join-Path $Docs "$($command.Name).md") | Select-String -Pattern '^## SYNOPSIS' -Context 0, 1).Context.PostContext[0]
    $page.AddRange([string[]]@("### [$($command.Name)]($($command.Name).md)", $synopsis, ''))
}
Set-Content -Path $modulePage -Value (($page -join "`n").TrimEnd()) -Encoding utf8NoBOM
Write-Host "wrote $modulePage"
