BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Skeletons = Join-Path $PSScriptRoot 'fixtures/cli-skeletons'
    $script:Outputs = Join-Path $PSScriptRoot 'fixtures/cli-output'
    $script:Enums = Get-Content (Join-Path $Skeletons 'enums.json') -Raw | ConvertFrom-Json -AsHashtable

    function Compare-Skeleton($Ours, $Theirs, [string] $Path, [hashtable] $EnumPaths) {
        # Equal as parsed JSON, except where the CLI picks an enum value at random: there any allowed value will do.
        if ($Theirs -is [System.Collections.IDictionary]) {
            $Ours | Should -BeOfType [System.Collections.IDictionary] -Because "$Path is an object"
            ($Ours.Keys | Sort-Object) -join ',' | Should -BeExactly (($Theirs.Keys | Sort-Object) -join ',') -Because "the members of $Path"
            foreach ($key in $Theirs.Keys) { Compare-Skeleton $Ours[$key] $Theirs[$key] "$Path.$key" $EnumPaths }
        } elseif ($Theirs -is [System.Collections.IList]) {
            @($Ours).Count | Should -Be @($Theirs).Count -Because "the length of $Path"
            for ($i = 0; $i -lt @($Theirs).Count; $i++) { Compare-Skeleton @($Ours)[$i] @($Theirs)[$i] "$Path[]" $EnumPaths }
        } else {
            $mapPath = $Path -replace '\.[^.\[\]]+$', '.*'
            $allowed = if ($EnumPaths.ContainsKey($Path)) { $EnumPaths[$Path] } elseif ($EnumPaths.ContainsKey($mapPath)) { $EnumPaths[$mapPath] } else { $null }
            if ($allowed) { $Ours | Should -BeIn $allowed -Because "$Path is an enum" }
            else { $Ours | Should -Be $Theirs -Because $Path; if ($null -ne $Theirs) { $Ours.GetType() | Should -Be $Theirs.GetType() -Because "the type of $Path" } }
        }
    }

    $script:CmdletOf = @{
        GenerateDataKeyPairWithoutPlaintext = 'New-KmsDataKeyPairWithoutPlaintext'; GenerateDataKeyPair = 'New-KmsDataKeyPair'
        GenerateDataKey = 'New-KmsDataKey'; GenerateDataKeyWithoutPlaintext = 'New-KmsDataKeyWithoutPlaintext'
        Encrypt = 'Invoke-KmsEncrypt'; Decrypt = 'Invoke-KmsDecrypt'; ReEncrypt = 'Invoke-KmsReEncrypt'; GenerateRandom = 'Get-KmsRandom'
        CreateKey = 'New-KmsKey'; DescribeKey = 'Get-KmsKey'; CreateAlias = 'New-KmsAlias'; ListAliases = 'Get-KmsAlias'
        UpdateAlias = 'Update-KmsAlias'; DeleteAlias = 'Remove-KmsAlias'; UpdateKeyDescription = 'Update-KmsKeyDescription'
        EnableKey = 'Enable-KmsKey'; DisableKey = 'Disable-KmsKey'; ScheduleKeyDeletion = 'Request-KmsKeyDeletion'
        CancelKeyDeletion = 'Stop-KmsKeyDeletion'; EnableKeyRotation = 'Enable-KmsKeyRotation'; DisableKeyRotation = 'Disable-KmsKeyRotation'
        GetKeyRotationStatus = 'Get-KmsKeyRotationStatus'; RotateKeyOnDemand = 'Invoke-KmsKeyRotation'; ListKeyRotations = 'Get-KmsKeyRotation'
        TagResource = 'Add-KmsResourceTag'; UntagResource = 'Remove-KmsResourceTag'; ListResourceTags = 'Get-KmsResourceTag'; GetPublicKey = 'Get-KmsPublicKey'
        GenerateMac = 'New-KmsMac'; VerifyMac = 'Test-KmsMac'; Sign = 'Invoke-KmsSigning'; Verify = 'Test-KmsSignature'
        DeriveSharedSecret = 'Get-KmsSharedSecret'
        GetKeyPolicy = 'Get-KmsKeyPolicy'; PutKeyPolicy = 'Write-KmsKeyPolicy'; ListKeyPolicies = 'Get-KmsKeyPolicyList'
        CreateGrant = 'New-KmsGrant'; ListGrants = 'Get-KmsGrant'; ListRetirableGrants = 'Get-KmsRetirableGrant'
        RevokeGrant = 'Revoke-KmsGrant'; RetireGrant = 'Disable-KmsGrant'
        GetParametersForImport = 'Get-KmsParametersForImport'; ImportKeyMaterial = 'Import-KmsKeyMaterial'; DeleteImportedKeyMaterial = 'Remove-KmsImportedKeyMaterial'
        ReplicateKey = 'New-KmsReplicateKey'; UpdatePrimaryRegion = 'Update-KmsPrimaryRegion'; GetKeyLastUsage = 'Get-KmsKeyLastUsage'
    }

    function Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-GenerateCliSkeleton' {
    It '<_> input equals what aws kms prints (frozen fixture)' -ForEach @(
        Get-ChildItem (Join-Path $PSScriptRoot 'fixtures/cli-skeletons') -Filter '*.input.json' | ForEach-Object { $_.Name -replace '\.input\.json$' }
    ) {
        $cmdlet = $CmdletOf[$_]
        $cmdlet | Should -Not -BeNullOrEmpty -Because "every fixture operation maps to a cmdlet"
        $before = Get-StoreSnapshot
        $ours = & $cmdlet -GenerateCliSkeleton input | ConvertFrom-Json -AsHashtable
        $theirs = Get-Content (Join-Path $Skeletons "$_.input.json") -Raw | ConvertFrom-Json -AsHashtable
        Compare-Skeleton $ours $theirs '$' $Enums["$_.input"]
        Get-StoreSnapshot | Should -BeExactly $before -Because 'a skeleton calls nothing'
    }

    It '<_> output equals botocore''s output skeleton (frozen fixture)' -ForEach @(
        Get-ChildItem (Join-Path $PSScriptRoot 'fixtures/cli-skeletons') -Filter '*.output.json' | ForEach-Object { $_.Name -replace '\.output\.json$' }
    ) {
        $ours = & $CmdletOf[$_] -GenerateCliSkeleton output | ConvertFrom-Json -AsHashtable
        $theirs = Get-Content (Join-Path $Skeletons "$_.output.json") -Raw | ConvertFrom-Json -AsHashtable
        Compare-Skeleton $ours $theirs '$' $Enums["$_.output"]
    }

    It 'covers every exported cmdlet that maps to one operation' {
        $fixtures = Get-ChildItem $Skeletons -Filter '*.input.json' | ForEach-Object { $_.Name -replace '\.input\.json$' }
        foreach ($operation in $CmdletOf.Keys) { $fixtures | Should -Contain $operation }
    }
}

Describe '-CliInputJson' {
    BeforeAll {
        $script:Key = New-KmsKey -Description 'cli input'
        New-KmsAlias 'alias/cli-input' $Key.KeyId
    }

    It 'reads the request members, blobs as base64' {
        $pair = New-KmsDataKeyPairWithoutPlaintext -CliInputJson '{"KeyId": "alias/cli-input", "KeyPairSpec": "ECC_NIST_P384", "EncryptionContext": {"from": "json"}}'
        $pair.KeyPairSpec | Should -BeExactly 'ECC_NIST_P384'
        $pair.EncryptionContext['from'] | Should -BeExactly 'json'
        $json = '{"CiphertextBlob": "' + $pair.PrivateKeyCiphertextBlobBase64 + '", "EncryptionContext": {"from": "json"}}'
        (Invoke-KmsDecrypt -CliInputJson $json).KeyId | Should -BeExactly $Key.Arn
    }

    It 'lets command-line parameters override the document, member by member' {
        $json = '{"KeyId": "alias/does-not-exist", "KeyPairSpec": "ECC_NIST_P384", "EncryptionContext": {"from": "json"}}'
        $pair = New-KmsDataKeyPairWithoutPlaintext -CliInputJson $json -KeyId alias/cli-input -KeyPairSpec ECC_NIST_P256
        $pair.KeyPairSpec | Should -BeExactly 'ECC_NIST_P256'
        $pair.KeyId | Should -BeExactly $Key.Arn
        $pair.EncryptionContext['from'] | Should -BeExactly 'json'
    }

    It 'reads file://path' {
        $file = Join-Path $StoreHome 'request.json'
        Set-Content $file '{"KeyId": "alias/cli-input", "KeySpec": "AES_128"}'
        (New-KmsDataKey -CliInputJson "file://$file").Plaintext.Length | Should -Be 16
    }

    It 'rejects <Name> with a ValidationException that says what is wrong, and calls nothing' -ForEach @(
        @{ Name = 'an unknown member'; Json = '{"KeyId": "alias/cli-input", "KeyPairSpec": "RSA_2048", "Colour": "red"}'; Message = 'Unknown parameter in input: "Colour", must be one of: EncryptionContext, KeyId, KeyPairSpec, GrantTokens, DryRun' }
        @{ Name = 'a wrong type'; Json = '{"KeyId": 42, "KeyPairSpec": "RSA_2048"}'; Message = 'Invalid type for parameter KeyId, value: 42, type: integer, valid types: string' }
        @{ Name = 'a list member that is not a list'; Json = '{"KeyId": "alias/cli-input", "KeyPairSpec": "RSA_2048", "GrantTokens": "one"}'; Message = 'Invalid type for parameter GrantTokens' }
        @{ Name = 'a map value that is not a string'; Json = '{"KeyId": "alias/cli-input", "KeyPairSpec": "RSA_2048", "EncryptionContext": {"n": 1}}'; Message = 'Invalid type for parameter EncryptionContext.n' }
        @{ Name = 'text that is not JSON'; Json = 'KeyId=alias/cli-input'; Message = 'not a JSON object' }
        @{ Name = 'a missing file'; Json = 'file:///no/such/request.json'; Message = 'Unable to load paramfile' }
    ) {
        $before = Get-StoreSnapshot
        $failure = $null
        try { New-KmsDataKeyPairWithoutPlaintext -CliInputJson $Json -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand'
        $failure.Exception.Message | Should -Match ([regex]::Escape($Message))
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'says plainly when a model member is not supported here' {
        $failure = $null
        try { Invoke-KmsDecrypt -CliInputJson '{"CiphertextBlob": "AAAA", "Recipient": {"KeyEncryptionAlgorithm": "RSAES_OAEP_SHA_256"}}' -ErrorAction Stop } catch { $failure = $_ }
        $failure.Exception.Message | Should -Match 'KmsTools does not support the member "Recipient" of Decrypt'
    }
}

Describe '-Output and -Query print what the aws CLI prints' {
    BeforeAll {
        # A loopback endpoint that answers each operation with the document the fixtures were frozen from.
        $script:Port = Get-FreePort
        $documents = Get-Content (Join-Path $Outputs 'documents.json') -Raw
        $script:Server = Start-ThreadJob -ArgumentList $Port, $documents -ScriptBlock {
            param($port, $documents)
            $answers = $documents | ConvertFrom-Json -AsHashtable
            $listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            $listener.Start()
            try {
                # Serves until told to stop (AfterAll), or for two minutes at most: a blocked GetContext would outlive the tests.
                $deadline = [datetime]::UtcNow.AddMinutes(2)
                while ([datetime]::UtcNow -lt $deadline) {
                    $pending = $listener.GetContextAsync()
                    if (-not $pending.Wait(500)) { continue }
                    $context = $pending.Result
                    if ($context.Request.Url.AbsolutePath -eq '/stop') { $context.Response.Close(); break }
                    $null = [IO.StreamReader]::new($context.Request.InputStream).ReadToEnd()
                    $operation = ($context.Request.Headers['X-Amz-Target'] -split '\.', 2)[1]
                    $bytes = [Text.Encoding]::UTF8.GetBytes(($answers[$operation] | ConvertTo-Json -Depth 5 -Compress))
                    $context.Response.ContentType = 'application/x-amz-json-1.1'
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                    $context.Response.Close()
                }
            } finally { $listener.Stop() }
        }
        Start-Sleep -Milliseconds 300
        $env:AWS_ACCESS_KEY_ID = 'testing'; $env:AWS_SECRET_ACCESS_KEY = 'testing'
        $script:Remote = @{ EndpointUrl = "http://127.0.0.1:$Port" }
        function Assert-Printed([string] $Fixture, [string[]] $Printed) {
            $expected = Get-Content (Join-Path $Outputs $Fixture) -Raw
            if (-not $expected) { $Printed | Should -BeNullOrEmpty; return }
            ($Printed -join "`n") + "`n" | Should -BeExactly $expected
        }
    }

    AfterAll {
        try { Invoke-WebRequest "http://127.0.0.1:$Port/stop" -Method Post -TimeoutSec 5 | Out-Null } catch { }
        $script:Server | Wait-Job -Timeout 10 | Out-Null
        $script:Server | Remove-Job -Force -ErrorAction SilentlyContinue
        Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
    }

    It 'New-KmsDataKeyPairWithoutPlaintext -Output <Case>' -ForEach @(
        @{ Case = 'json'; Options = @{ Output = 'json' } }
        @{ Case = 'text'; Options = @{ Output = 'text' } }
        @{ Case = 'query-keyid-text'; Options = @{ Query = 'KeyId'; Output = 'text' } }
        @{ Case = 'query-object-json'; Options = @{ Query = '{Spec: KeyPairSpec, Key: KeyId}'; Output = 'json' } }
        @{ Case = 'table'; Options = @{ Output = 'table' } }
    ) {
        $printed = New-KmsDataKeyPairWithoutPlaintext -KeyId alias/example -KeyPairSpec ECC_NIST_P256 @Remote @Options
        Assert-Printed "GenerateDataKeyPairWithoutPlaintext.$Case.txt" $printed
    }

    It 'Get-KmsKey -Output <Case>' -ForEach @(
        @{ Case = 'json'; Options = @{ Output = 'json' } }
        @{ Case = 'text'; Options = @{ Output = 'text' } }
        @{ Case = 'query-state-json'; Options = @{ Query = 'KeyMetadata.[KeyState, Enabled]'; Output = 'json' } }
        @{ Case = 'table'; Options = @{ Output = 'table' } }
        @{ Case = 'query-list-table'; Options = @{ Query = 'KeyMetadata.[KeyState, Enabled, EncryptionAlgorithms]'; Output = 'table' } }
        @{ Case = 'query-scalar-table'; Options = @{ Query = 'KeyMetadata.KeyId'; Output = 'table' } }
        @{ Case = 'query-missing-json'; Options = @{ Query = 'KeyMetadata.NoSuchMember'; Output = 'json' } }
        @{ Case = 'query-missing-text'; Options = @{ Query = 'KeyMetadata.NoSuchMember'; Output = 'text' } }
        @{ Case = 'query-missing-table'; Options = @{ Query = 'KeyMetadata.NoSuchMember'; Output = 'table' } }
    ) {
        $printed = Get-KmsKey -KeyId alias/example @Remote @Options
        Assert-Printed "DescribeKey.$Case.txt" $printed
    }

    It '<Command> -Output <Case> prints what the CLI prints' -ForEach @(
        foreach ($case in 'json', 'text', 'table') {
            @{ Command = 'Get-KmsAlias'; Operation = 'ListAliases'; Case = $case; Options = @{} }
            @{ Command = 'Get-KmsKeyRotationStatus'; Operation = 'GetKeyRotationStatus'; Case = $case; Options = @{ KeyId = 'alias/example' } }
            @{ Command = 'Get-KmsResourceTag'; Operation = 'ListResourceTags'; Case = $case; Options = @{ KeyId = 'alias/example' } }
        }
    ) {
        $printed = & $Command @Options @Remote -Output $Case
        Assert-Printed "$Operation.$Case.txt" $printed
    }

    It '-Query without -Output emits objects' {
        $result = Get-KmsKey -KeyId alias/example @Remote -Query 'KeyMetadata.{Id: KeyId, State: KeyState}'
        $result.Id | Should -BeExactly '1234abcd-12ab-34cd-56ef-1234567890ab'
        $result.State | Should -BeExactly 'Enabled'
    }

    It 'table and yaml lay the response out as the CLI does' {
        $table = (Get-KmsKey -KeyId alias/example @Remote -Output table) -split "`n"
        $table[0] | Should -Match '^-+$'
        $table[1] | Should -Match '^\|\s+DescribeKey\s+\|$'
        ($table -join "`n") | Should -Match '\|\|\s+KeyMetadata\s+\|\|'
        ($table -join "`n") | Should -Match '\|\|  KeyState\s+\|  Enabled\s+\|\|'
        $yaml = Get-KmsKey -KeyId alias/example @Remote -Output yaml
        $yaml | Should -Match "(?m)^KeyMetadata:\n  AWSAccountId: '111122223333'\n  KeyId: 1234abcd-12ab-34cd-56ef-1234567890ab$"
        $yaml | Should -Match "(?m)^  EncryptionAlgorithms:\n  - SYMMETRIC_DEFAULT$"
    }
}

Describe 'Local results in the CLI forms' {
    It 'the headline result as JSON has the wire members only, blobs as base64' {
        $key = New-KmsKey
        $document = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 -Output json | ConvertFrom-Json
        ($document.PSObject.Properties.Name -join ',') | Should -BeExactly 'PrivateKeyCiphertextBlob,PublicKey,KeyId,KeyPairSpec,KeyMaterialId'
        [Convert]::FromBase64String($document.PublicKey).Length | Should -Be 91
    }

    It '-NoPaginate returns the first page only' {
        1..101 | ForEach-Object { New-KmsKey -Description "page $_" } | Out-Null
        @(Get-KmsKey -NoPaginate).Count | Should -Be 100
        @(Get-KmsKey).Count | Should -BeGreaterThan 101
    }

    It '-Debug traces requests and responses with every secret blanked' {
        $key = New-KmsKey
        # -Debug would ask before each message in a non-interactive host; the preference variable is the same stream.
        $records = & {
            $DebugPreference = 'Continue'
            Invoke-KmsEncrypt $key.KeyId -PlaintextString 'DebugSecret42'
            New-KmsDataKeyPair $key.KeyId ECC_NIST_P256
        } 5>&1
        $debug = ($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message -join "`n"
        $debug | Should -Match 'Encrypt request: \{KeyId: .*Plaintext: <13 bytes, hidden>'
        $debug | Should -Match 'GenerateDataKeyPair response: .*PrivateKeyPlaintext: <\d+ bytes, hidden>'
        $debug | Should -Not -Match 'DebugSecret42'
        $pair = $records | Where-Object { $_.PSObject.TypeNames[0] -eq 'KmsTools.Model.GenerateDataKeyPairResponse' }
        $debug | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($pair.PrivateKeyPlaintext).Substring(0, 16)))
    }
}
