# Protect-/Unprotect-KmsFile, Protect-/Unprotect-KmsData and Get-KmsEncryptedMessage: the AWS Encryption SDK message
# format as users use it (files in pipelines, data in memory, pairs offline), checked against the AWS Encryption SDK
# for JavaScript (@aws-crypto/client-node, from npm into out/interop) in both directions. The format itself (every
# suite, every kind of damage, the ESDK's published messages) is in tests/KmsTools.Core.Tests/EncryptionSdkTests.cs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Interop = Join-Path (Split-Path $PSScriptRoot -Parent) 'out/interop'
    $script:Work = Join-Path $StoreHome 'files'
    New-Item -ItemType Directory -Path $Work | Out-Null
    $script:Key = New-KmsKey -Description 'esdk'
    New-KmsAlias -AliasName alias/esdk -TargetKeyId $Key.KeyId
    $script:Other = New-KmsKey -Description 'esdk other'
    # The slow RSA pairs, once per file: one without its private key (the headline), one with it (for the JavaScript peer).
    $script:Pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec RSA_2048 -EncryptionContext @{ use = 'files' }
    $script:OpenPair = New-KmsDataKeyPair -KeyId $Key.KeyId -KeyPairSpec RSA_2048

    function New-TestFile([string] $Name, [string] $Text) {
        $path = Join-Path $Work $Name
        [IO.File]::WriteAllText($path, $Text)
        $path
    }

    function Get-Leftover {
        # Temporary files of an unfinished output: there must never be any after a command returns.
        @(Get-ChildItem $Work -Force -Recurse -Filter '*.partial')
    }

    function Test-Esdk {
        # node and @aws-crypto/client-node are there (build.ps1 -Task Test installs them); else skipped, or failing on CI.
        if ((Get-Command node -CommandType Application -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path $Interop 'node_modules/@aws-crypto/client-node'))) { return $true }
        if ($env:CI) { throw 'node or @aws-crypto/client-node is missing: CI must run this test (build.ps1 installs tests/interop into out/interop).' }
        Set-ItResult -Skipped -Because 'node or @aws-crypto/client-node is not installed (build.ps1 -Task Test installs it with npm into out/interop)'
        return $false
    }

    function Test-PythonCryptography {
        # The independent reading of the raw ECDH keyring (tests/interop/esdk-raw-ecdh.py) needs python3 with cryptography.
        if ((Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue) -and (& python3 -c 'import cryptography; print(1)' 2>$null) -eq '1') { return $true }
        if ($env:CI) { throw 'python3 with the cryptography package is missing: CI must run this test.' }
        Set-ItResult -Skipped -Because 'python3 with the cryptography package is not installed (Debian: apt-get install python3-cryptography)'
        return $false
    }

    function Invoke-Esdk([string] $Mode, [string] $In, [string] $Out, [string] $Keyring, [hashtable] $Options) {
        $err = Join-Path $StoreHome 'esdk.err'
        $env:AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1'
        $line = & node (Join-Path $Interop 'esdk-client.mjs') $Mode $In $Out $Keyring ($Options | ConvertTo-Json -Compress -Depth 5) 2>$err
        if ($LASTEXITCODE -ne 0) { throw "The ESDK for JavaScript failed to $Mode ($LASTEXITCODE): $(Get-Content $err -Raw)" }
        $line | ConvertFrom-Json
    }
}

AfterAll {
    Get-KmsServer | Stop-KmsServer
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Protect-KmsFile and Unprotect-KmsFile with KMS keys' {
    It 'encrypts beside the file, decrypts back to its name, and reports the message (no key in it)' {
        $plain = New-TestFile 'report.txt' "quarterly numbers`n"
        $message = Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ purpose = 'backup' }
        $message.Path | Should -BeExactly "$plain.encrypted"
        $message.SourcePath | Should -BeExactly $plain
        $message.AlgorithmSuite | Should -BeExactly 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384'
        $message.AlgorithmSuiteId | Should -BeExactly '0x0578'
        $message.Version | Should -Be 2
        $message.FrameLength | Should -Be 4096
        $message.PlaintextLength | Should -Be 18
        $message.Length | Should -Be (Get-Item $message.Path).Length
        $message.EncryptionContext['purpose'] | Should -BeExactly 'backup'
        $message.EncryptionContext.Keys | Should -Contain 'aws-crypto-public-key'
        $message.EncryptedDataKeys.ProviderId | Should -BeExactly 'aws-kms'
        $message.EncryptedDataKeys.ProviderInfo | Should -BeExactly $Key.Arn
        [Convert]::FromBase64String($message.MessageId).Length | Should -Be 32

        Remove-Item $plain
        $decrypted = Unprotect-KmsFile $message.Path -EncryptionContext @{ purpose = 'backup' }
        $decrypted.Path | Should -BeExactly $plain
        $decrypted.Length | Should -Be 18
        $decrypted.MessagePath | Should -BeExactly $message.Path
        $decrypted.MessageId | Should -BeExactly $message.MessageId
        Get-Content $plain -Raw | Should -BeExactly "quarterly numbers`n"
        if ($IsLinux -or $IsMacOS) { (stat -c '%a' $plain) | Should -BeExactly '600' -Because 'a decrypted file is readable by its owner only' }
        Get-Leftover | Should -BeNullOrEmpty
    }

    It 'encrypts for several KMS keys: the first generates the data key, each opens the message alone' {
        $plain = New-TestFile 'shared.txt' 'for two teams'
        $message = Protect-KmsFile $plain -KeyId $Key.KeyId, $Other.Arn -Destination (Join-Path $Work 'shared.msg')
        $message.EncryptedDataKeys.ProviderInfo | Should -Be @($Key.Arn, $Other.Arn)
        foreach ($arn in $Key.Arn, $Other.Arn) {
            $out = Join-Path $Work "shared-$([guid]::NewGuid().ToString('N')).txt"
            Unprotect-KmsFile $message.Path -Destination $out -KeyId $arn | Out-Null
            Get-Content $out -Raw | Should -BeExactly 'for two teams'
        }
        $failure = Get-Failure { Unprotect-KmsFile $message.Path -Destination (Join-Path $Work 'none.txt') -KeyId (New-KmsKey).Arn -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'IncorrectKeyException,KmsTools.Commands.UnprotectKmsFileCommand'
        $failure.ErrorDetails.Message | Should -BeLike "IncorrectKeyException: '$($message.Path)': None of the keys given*aws-kms $($Key.Arn)*"
        Test-Path (Join-Path $Work 'none.txt') | Should -BeFalse
    }

    It 'takes files from Get-ChildItem, writes into a -Destination folder, and one bad file does not stop the others' {
        $in = Join-Path $Work 'batch'; $out = Join-Path $Work 'batch-out'
        New-Item -ItemType Directory -Path $in, $out | Out-Null
        1..3 | ForEach-Object { [IO.File]::WriteAllText((Join-Path $in "f$_.txt"), "file $_") }
        $messages = Get-ChildItem $in -File | Protect-KmsFile -KeyId alias/esdk -Destination $out
        $messages.Path | Should -Be @(1..3 | ForEach-Object { Join-Path $out "f$_.txt.encrypted" })
        # Damage the second message's last frame: its tag no longer verifies.
        $bytes = [IO.File]::ReadAllBytes($messages[1].Path); $bytes[$bytes.Length - 120] = $bytes[$bytes.Length - 120] -bxor 1
        [IO.File]::WriteAllBytes($messages[1].Path, $bytes)
        $plainOut = Join-Path $Work 'batch-plain'; New-Item -ItemType Directory -Path $plainOut | Out-Null
        $decrypted = Get-ChildItem $out | Unprotect-KmsFile -Destination $plainOut -ErrorVariable failures -ErrorAction SilentlyContinue
        $decrypted.Path | Should -Be @((Join-Path $plainOut 'f1.txt'), (Join-Path $plainOut 'f3.txt'))
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.UnprotectKmsFileCommand'
        $failures[0].ErrorDetails.Message | Should -BeExactly "InvalidCiphertextException: '$($messages[1].Path)': Frame 1 of the message does not authenticate: the message was altered after encryption."
        $failures[0].TargetObject | Should -BeExactly $messages[1].Path
        Test-Path (Join-Path $plainOut 'f2.txt') | Should -BeFalse -Because 'a message that fails leaves no plaintext behind'
        Get-Leftover | Should -BeNullOrEmpty
    }

    It 'says which part of a damaged message failed: <Part>' -ForEach @(
        @{ Part = 'the header'; Offset = 'Header'; Expected = 'The message header does not authenticate*' }
        @{ Part = 'the commitment'; Offset = 'Commit'; Expected = 'The data key does not match the message''s key commitment*' }
        @{ Part = 'the signature'; Offset = 'Footer'; Expected = 'The message''s signature does not verify*' }
        @{ Part = 'a truncated message'; Offset = 'Truncate'; Expected = 'The message ends inside frame 2*' }
    ) {
        $plain = New-TestFile "part-$Offset.txt" ('x' * 5000)
        $message = Protect-KmsFile $plain -KeyId alias/esdk -Force
        $header = Get-KmsEncryptedMessage $message.Path
        $bytes = [IO.File]::ReadAllBytes($message.Path)
        # The header body ends with the 32-byte commit key; the 16-byte header tag follows it.
        $headerLength = $header.HeaderLength
        switch ($Offset) {
            'Header' { $bytes[$headerLength - 1] = $bytes[$headerLength - 1] -bxor 1 }
            'Commit' { $bytes[$headerLength - 17] = $bytes[$headerLength - 17] -bxor 1 }
            'Footer' { $bytes[$bytes.Length - 1] = $bytes[$bytes.Length - 1] -bxor 1 }
            'Truncate' { $bytes = $bytes[0..($headerLength + 4 + 12 + 4096 + 16 + 100)] }
        }
        [IO.File]::WriteAllBytes($message.Path, [byte[]]$bytes)
        Remove-Item $plain
        $failure = Get-Failure { Unprotect-KmsFile $message.Path -ErrorAction Stop }
        $failure.ErrorDetails.Message | Should -BeLike "InvalidCiphertextException: '$($message.Path)': $Expected"
        Test-Path $plain | Should -BeFalse
        Get-Leftover | Should -BeNullOrEmpty
        $header.EncryptedDataKeys.Count | Should -Be 1
    }

    It 'never overwrites silently: an existing output is refused untouched, -Force replaces it, -WhatIf writes nothing' {
        $plain = New-TestFile 'keep.txt' 'new content'
        [IO.File]::WriteAllText("$plain.encrypted", 'precious')
        $failure = Get-Failure { Protect-KmsFile $plain -KeyId alias/esdk -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'AlreadyExistsException,KmsTools.Commands.ProtectKmsFileCommand'
        $failure.ErrorDetails.Message | Should -BeLike "*'$plain.encrypted' already exists; use -Force to replace it. Nothing was written."
        Get-Content "$plain.encrypted" -Raw | Should -BeExactly 'precious'
        Invoke-WhatIf Protect-KmsFile @{ Path = $plain; KeyId = 'alias/esdk'; Force = $true } | Should -BeNullOrEmpty
        Get-Content "$plain.encrypted" -Raw | Should -BeExactly 'precious'
        (Protect-KmsFile $plain -KeyId alias/esdk -Force).Length | Should -BeGreaterThan 100
        (Get-KmsEncryptedMessage "$plain.encrypted").AlgorithmSuiteId | Should -BeExactly '0x0578'
    }

    It 'needs the encryption context the message was made with, when asked, and says what differs' {
        $plain = New-TestFile 'ctx.txt' 'context bound'
        $message = Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ team = 'ops'; env = 'prod' } -Destination (Join-Path $Work 'ctx.msg')
        $failure = Get-Failure { Unprotect-KmsFile $message.Path -Destination (Join-Path $Work 'ctx.out') -EncryptionContext @{ team = 'dev' } -ErrorAction Stop }
        $failure.ErrorDetails.Message | Should -BeExactly "InvalidCiphertextException: '$($message.Path)': The message's encryption context has 'team=ops', not the required 'team=dev'."
        (Unprotect-KmsFile $message.Path -Destination (Join-Path $Work 'ctx.out') -EncryptionContext 'team=ops').Length | Should -Be 13
    }

    It 'refuses what cannot be done before any work: no key, a folder, a missing file, a reserved context key, a bad suite' {
        $plain = New-TestFile 'refuse.txt' 'x'
        (Get-Failure { Protect-KmsFile $plain -ErrorAction Stop }).ErrorDetails.Message | Should -BeLike '*Say whom to encrypt for: -KeyId (KMS keys), -PublicKey*'
        (Get-Failure { Protect-KmsFile $Work -KeyId alias/esdk -ErrorAction Stop }).ErrorDetails.Message | Should -BeLike "*'$Work' is a folder. To encrypt the files in it, pipe them: Get-ChildItem*"
        (Get-Failure { Protect-KmsFile (Join-Path $Work 'nope.txt') -KeyId alias/esdk -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'NotFoundException,*'
        (Get-Failure { Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ 'aws-crypto-x' = '1' } -ErrorAction Stop }).ErrorDetails.Message | Should -BeLike "*'aws-crypto-x' starts with 'aws-crypto-', which the AWS Encryption SDK reserves*"
        (Get-Failure { Protect-KmsFile $plain -KeyId alias/esdk -Algorithm AES_GCM -ErrorAction Stop }).ErrorDetails.Message | Should -BeLike "*'AES_GCM' is not an AWS Encryption SDK algorithm suite. Suites: ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, *"
        (Get-Failure { Protect-KmsFile $plain -KeyId alias/esdk -Algorithm 0x0378 -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'UnsupportedOperationException,*'
        Test-Path "$plain.encrypted" | Should -BeFalse
    }

    It 'writes the unsigned committing suite and frames of another length when asked' {
        $plain = New-TestFile 'suite.txt' ('y' * 1000)
        $message = Protect-KmsFile $plain -KeyId alias/esdk -Algorithm ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY -FrameLength 128 -Force
        $message.AlgorithmSuiteId | Should -BeExactly '0x0478'
        $message.IsSigned | Should -BeFalse
        $message.EncryptionContext.Count | Should -Be 0
        $message.FrameLength | Should -Be 128
        Remove-Item $plain
        (Unprotect-KmsFile $message.Path).Length | Should -Be 1000
    }

    It 'refuses a message with more encrypted data keys than allowed, before any KMS call' {
        $plain = New-TestFile 'many.txt' 'many keys'
        $message = Protect-KmsFile $plain -KeyId $Key.KeyId, $Other.KeyId, (New-KmsKey).KeyId -Force
        Remove-Item $plain
        $failure = Get-Failure { Unprotect-KmsFile $message.Path -MaxEncryptedDataKeys 2 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'LimitExceededException,KmsTools.Commands.UnprotectKmsFileCommand'
        $failure.ErrorDetails.Message | Should -BeLike '*has 3 encrypted data keys, more than the 2 allowed*'
        (Unprotect-KmsFile $message.Path).Length | Should -Be 9
    }

    It 'shows Write-Progress for a large file, and closes it' {
        $file = Join-Path $Work 'progress.bin'
        $stream = [IO.File]::Create($file); $stream.SetLength(64MB); $stream.Dispose()
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$env:KMSTOOLS_HOME = '$StoreHome'; Protect-KmsFile '$file' -KeyId alias/esdk -Force | Out-Null")
        $ps.Invoke()
        $ps.Streams.Error | Should -BeNullOrEmpty
        $records = @($ps.Streams.Progress)
        $ps.Dispose()
        $records.Count | Should -BeGreaterOrEqual 2
        $records[0].Activity | Should -BeExactly 'Protect-KmsFile'
        $records[0].StatusDescription | Should -BeLike '* of 64 MiB'
        $records[-1].RecordType | Should -Be 'Completed'
        Remove-Item $file, "$file.encrypted"
    }

    It 'leaves nothing behind when stopped (Ctrl+C) in the middle of a large file' {
        $big = Join-Path $Work 'big.bin'
        $stream = [IO.File]::Create($big); $stream.SetLength(1GB); $stream.Dispose()
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$env:KMSTOOLS_HOME = '$StoreHome'; Protect-KmsFile '$big' -KeyId alias/esdk")
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Get-Leftover) -and -not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 5 }
        $handle.IsCompleted | Should -BeFalse -Because 'the test must stop the encryption while it runs'
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()
        Get-Leftover | Should -BeNullOrEmpty
        Test-Path "$big.encrypted" | Should -BeFalse
        Remove-Item $big
    }
}

Describe 'Data key pairs: encrypt offline with the public key, decrypt with one KMS call' {
    It 'encrypts to the pair''s public key with no KMS call (an unreachable endpoint is never called) and decrypts with its encrypted private key' {
        $plain = New-TestFile 'offline.txt' 'written where no KMS is reachable'
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $message = Protect-KmsFile $plain -KeyPair $Pair -EndpointUrl "http://127.0.0.1:$port" -CliConnectTimeout 1
        $message.EncryptedDataKeys.ProviderId | Should -BeExactly 'kmstools-data-key-pair'
        $spkiHash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Pair.PublicKey)).ToLowerInvariant()
        $message.EncryptedDataKeys.ProviderInfo | Should -BeExactly $spkiHash
        $message.EncryptedDataKeys.CiphertextLength | Should -Be 256
        Remove-Item $plain
        # The pair's object knows its encryption context (use=files): the one KMS Decrypt of the private key uses it.
        (Unprotect-KmsFile $message.Path -KeyPair $Pair).Length | Should -Be 33
        Get-Content $plain -Raw | Should -BeExactly 'written where no KMS is reachable'
    }

    It 'takes the public key as bytes, PEM text or a PEM file, and the private key as its ciphertext blob' {
        $plain = New-TestFile 'forms.txt' 'forms'
        $pemFile = Join-Path $Work 'pair.pem'; Set-Content $pemFile $Pair.PublicKeyPem
        $name = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($Pair.PublicKey)).ToLowerInvariant()
        foreach ($form in @($Pair.PublicKey, $Pair.PublicKeyPem, (Get-Item $pemFile))) {
            $message = Protect-KmsFile $plain -PublicKey $form -Force
            $message.EncryptedDataKeys.ProviderInfo | Should -BeExactly $name
        }
        $failure = Get-Failure { Unprotect-KmsFile $message.Path -Destination (Join-Path $Work 'forms.out') -PrivateKeyCiphertextBlob $Pair.PrivateKeyCiphertextBlob -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.UnprotectKmsFileCommand' -Because 'the blob is bound to use=files'
        (Unprotect-KmsFile $message.Path -Destination (Join-Path $Work 'forms.out') -PrivateKeyCiphertextBlob $Pair.PrivateKeyCiphertextBlob -KeyPairEncryptionContext @{ use = 'files' }).Length | Should -Be 5
    }

    It '<Spec>: encrypts to an EC pair offline (the ESDK''s raw ECDH keyring) and decrypts with its encrypted private key; an independent reading of the keyring opens the data key' -ForEach @(
        @{ Spec = 'ECC_NIST_P256'; Curve = 'p256'; Point = 33 }
        @{ Spec = 'ECC_NIST_P384'; Curve = 'p384'; Point = 49 }
        @{ Spec = 'ECC_NIST_P521'; Curve = 'p521'; Point = 67 }
    ) {
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec $Spec -EncryptionContext @{ use = 'ec' }
        $plain = New-TestFile "ec-$Spec.txt" "sealed to an $Spec pair"
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $message = Protect-KmsFile $plain -KeyPair $pair -EncryptionContext @{ purpose = 'backup' } -EndpointUrl "http://127.0.0.1:$port" -CliConnectTimeout 1
        $message.EncryptedDataKeys.ProviderId | Should -BeExactly 'raw-ecdh'
        # Provider information: the recipient's compressed point (the pair's public key), then the ephemeral sender's.
        $message.EncryptedDataKeys.ProviderInfo | Should -Match ('^recipient 0[23][0-9a-f]{' + (2 * $Point - 2) + '} sender 0[23][0-9a-f]{' + (2 * $Point - 2) + '}$')
        $message.EncryptedDataKeys.CiphertextLength | Should -Be 112 -Because 'salt, commitment key, 32-byte data key and tag'
        Remove-Item $plain
        (Unprotect-KmsFile $message.Path -KeyPair $pair -EncryptionContext @{ purpose = 'backup' }).Length | Should -Be ("sealed to an $Spec pair".Length)
        Get-Content $plain -Raw | Should -BeExactly "sealed to an $Spec pair"
        if (-not (Test-PythonCryptography)) { return }
        $private = Join-Path $Work "$Spec.pkcs8.der"
        [IO.File]::WriteAllBytes($private, (Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob -EncryptionContext @{ use = 'ec' }).Plaintext)
        $opened = & python3 (Join-Path $PSScriptRoot 'interop/esdk-raw-ecdh.py') open $message.Path $private | ConvertFrom-Json
        Remove-Item $private
        $opened.curve | Should -BeExactly $Curve
        $opened.dataKeyLength | Should -Be 32
        $opened.commitKeyMatches | Should -BeTrue -Because 'the data key the independent reading opened is the message''s'
        $opened.encryptionContext.purpose | Should -BeExactly 'backup'
        $opened.encryptionContext.'aws-crypto-public-key' | Should -Not -BeNullOrEmpty -Because 'the signed suite''s context entry is part of FixedInfo'
    }

    It '<Spec>: decrypts a message an independent writer sealed to the pair (raw ECDH, suite 0x0478)' -ForEach @(
        @{ Spec = 'ECC_NIST_P256' }
        @{ Spec = 'ECC_NIST_P384' }
        @{ Spec = 'ECC_NIST_P521' }
    ) {
        if (-not (Test-PythonCryptography)) { return }
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec $Spec
        $spki = Join-Path $Work "$Spec.spki.der"; [IO.File]::WriteAllBytes($spki, $pair.PublicKey)
        $plain = Join-Path $Work "sealed-$Spec.bin"; [IO.File]::WriteAllBytes($plain, [byte[]](1..10000 | ForEach-Object { $_ % 251 }))
        $sealed = Join-Path $Work "sealed-$Spec.bin.encrypted"
        & python3 (Join-Path $PSScriptRoot 'interop/esdk-raw-ecdh.py') seal $spki $plain $sealed '{"purpose":"independent"}'
        $LASTEXITCODE | Should -Be 0
        $header = Get-KmsEncryptedMessage $sealed
        $header.AlgorithmSuiteId | Should -BeExactly '0x0478'
        $header.EncryptedDataKeys.ProviderId | Should -BeExactly 'raw-ecdh'
        $out = Join-Path $Work "sealed-$Spec.out"
        (Unprotect-KmsFile $sealed -Destination $out -KeyPair $pair -EncryptionContext @{ purpose = 'independent' }).Length | Should -Be 10000
        (Get-FileHash $out).Hash | Should -BeExactly (Get-FileHash $plain).Hash
        $failure = Get-Failure { Unprotect-KmsFile $sealed -Destination "$out.2" -KeyPair $OpenPair -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'IncorrectKeyException,KmsTools.Commands.UnprotectKmsFileCommand' -Because 'an RSA pair is not the recipient'
        Test-Path "$out.2" | Should -BeFalse
    }

    It 'refuses pairs the ESDK''s keyrings do not cover, and names for EC pairs, with a clear error: <Case>' -ForEach @(
        @{ Case = 'secp256k1'; Spec = 'ECC_SECG_P256K1'; Extra = @{}; Message = '*raw ECDH keyring covers the NIST curves P-256, P-384 and P-521 only*' }
        @{ Case = 'Ed25519'; Spec = 'ECC_NIST_EDWARDS25519'; Extra = @{}; Message = '*neither an RSA key nor an EC key*' }
        @{ Case = '-KeyNamespace with an EC pair'; Spec = 'ECC_NIST_P256'; Extra = @{ KeyNamespace = 'mine' }; Message = '*-KeyNamespace and -KeyName name the keys of RSA pairs*' }
    ) {
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec $Spec
        $failure = Get-Failure { Protect-KmsData -InputObject 'x' -KeyPair $pair @Extra -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.ProtectKmsDataCommand'
        $failure.ErrorDetails.Message | Should -BeLike $Message
    }
}

Describe 'Protect-KmsData and Unprotect-KmsData' {
    It 'round-trips text, bytes from Get-Content -AsByteStream, and a stream' {
        $message = 'a secret', 'on two lines' | Protect-KmsData -KeyId alias/esdk
        $message | Should -BeOfType [byte]
        ,$message | Should -BeOfType [byte[]]
        Unprotect-KmsData -InputObject $message -AsString | Should -BeExactly "a secret`non two lines"

        $file = New-TestFile 'bytes.bin' 'binary?'
        $fromBytes = Get-Content $file -AsByteStream | Protect-KmsData -KeyId alias/esdk
        $out = Join-Path $Work 'bytes.out'
        Unprotect-KmsData -InputObject $fromBytes | Set-Content $out -AsByteStream
        Get-Content $out -Raw | Should -BeExactly 'binary?'

        $stream = [IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes('streamed'))
        $fromStream = Protect-KmsData -InputObject $stream -PublicKey $OpenPair.PublicKey
        $secure = Unprotect-KmsData -InputObject ([IO.MemoryStream]::new($fromStream)) -KeyPair $OpenPair -AsSecureString
        [Net.NetworkCredential]::new('', $secure).Password | Should -BeExactly 'streamed'
        # Base64 text of a message is a message too (what a config file or a JSON document holds).
        Unprotect-KmsData -InputObject ([Convert]::ToBase64String($fromStream)) -PrivateKey $OpenPair.PrivateKeyPlaintext -AsString | Should -BeExactly 'streamed'
    }

    It 'refuses input that is neither bytes, text nor a stream, and makes no message' {
        $failures = $null
        $result = 'ok', 42 | Protect-KmsData -KeyId alias/esdk -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures[0].ErrorDetails.Message | Should -BeLike '*a Int32 is not data to encrypt*'
        $failures[-1].ErrorDetails.Message | Should -BeLike '*no message was made*'
    }

    It 'outputs go through Export-Clixml and back' {
        $plain = New-TestFile 'clixml.txt' 'clixml'
        $message = Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ a = 'b' } -Force
        $path = Join-Path $Work 'message.clixml'
        $message | Export-Clixml $path
        $back = Import-Clixml $path
        $back.Path | Should -BeExactly $message.Path
        $back.EncryptionContext['a'] | Should -BeExactly 'b'
        $back.EncryptedDataKeys[0].ProviderInfo | Should -BeExactly $Key.Arn
        $Pair | Export-Clixml (Join-Path $Work 'pair.clixml')
        $pairBack = Import-Clixml (Join-Path $Work 'pair.clixml')
        $data = 'via clixml' | Protect-KmsData -KeyPair $pairBack
        Unprotect-KmsData -InputObject $data -KeyPair $pairBack -AsString | Should -BeExactly 'via clixml'
    }

    It 'keeps plaintext out of -Verbose and -Debug' {
        $plain = New-TestFile 'quiet.txt' 'TOPSECRETWORD'
        $lines = & { Protect-KmsFile $plain -KeyId alias/esdk -Force -Verbose -Debug; Unprotect-KmsFile "$plain.encrypted" -Force -Verbose -Debug } 4>&1 5>&1 | Out-String
        $lines | Should -Match 'Encrypted'
        $lines | Should -Not -Match 'TOPSECRETWORD'
    }
}

Describe 'The AWS Encryption SDK for JavaScript' {
    It 'decrypts what Protect-KmsFile wrote to a pair''s public key, with the pair''s private key (raw RSA keyring)' {
        if (-not (Test-Esdk)) { return }
        $plain = New-TestFile 'to-js.txt' ('to the ESDK ' * 1000)
        $message = Protect-KmsFile $plain -PublicKey $OpenPair.PublicKey -EncryptionContext @{ app = 'kmstools' } -FrameLength 1000 -Force
        $out = Join-Path $Work 'to-js.out'
        $seen = Invoke-Esdk decrypt $message.Path $out rsa @{ keyNamespace = 'kmstools-data-key-pair'; keyName = $message.EncryptedDataKeys.ProviderInfo; privateKeyPem = $OpenPair.GetPrivateKeyPem() }
        Get-Content $out -Raw | Should -BeExactly ('to the ESDK ' * 1000)
        $seen.suiteId | Should -Be 0x0578
        $seen.messageId | Should -BeExactly $message.MessageId
        $seen.encryptionContext.app | Should -BeExactly 'kmstools'
    }

    It 'writes messages Unprotect-KmsFile decrypts with the pair: suite <Suite>' -ForEach @(
        @{ Suite = 0x0578; Policy = 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT'; OurPolicy = 'RequireEncryptRequireDecrypt' }
        @{ Suite = 0x0478; Policy = 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT'; OurPolicy = 'RequireEncryptRequireDecrypt' }
        @{ Suite = 0x0378; Policy = 'FORBID_ENCRYPT_ALLOW_DECRYPT'; OurPolicy = 'RequireEncryptAllowDecrypt' }
        @{ Suite = 0x0178; Policy = 'FORBID_ENCRYPT_ALLOW_DECRYPT'; OurPolicy = 'RequireEncryptAllowDecrypt' }
    ) {
        if (-not (Test-Esdk)) { return }
        $plain = New-TestFile "from-js-$Suite.txt" ('from the ESDK ' * 700)
        $message = "$plain.encrypted"
        $seen = Invoke-Esdk encrypt $plain $message rsa @{ keyNamespace = 'kmstools-data-key-pair'; keyName = 'js'; publicKeyPem = $OpenPair.PublicKeyPem; suiteId = $Suite; policy = $Policy; context = @{ from = 'js' } }
        Remove-Item $plain
        if ($Suite -lt 0x0400) {
            $failure = Get-Failure { Unprotect-KmsFile $message -KeyPair $OpenPair -KeyName js -ErrorAction Stop }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'UnsupportedOperationException,KmsTools.Commands.UnprotectKmsFileCommand'
            Test-Path $plain | Should -BeFalse
        }
        $decrypted = Unprotect-KmsFile $message -KeyPair $OpenPair -KeyName js -CommitmentPolicy $OurPolicy -EncryptionContext @{ from = 'js' }
        $decrypted.MessageId | Should -BeExactly $seen.messageId
        $decrypted.AlgorithmSuite | Should -BeExactly (Get-KmsEncryptedMessage $message).AlgorithmSuite
        Get-Content $plain -Raw | Should -BeExactly ('from the ESDK ' * 700)
    }

    It 'uses the aws-kms keyring against Start-KmsServer both ways' {
        if (-not (Test-Esdk)) { return }
        $server = Start-KmsServer -PassThru
        try {
            $plain = New-TestFile 'kms-js.txt' 'through the server'
            $options = @{ endpoint = $server.Url; region = 'us-east-1'; generatorKeyId = $Key.Arn; keyIds = @($Other.Arn); context = @{ via = 'server' } }
            $seen = Invoke-Esdk encrypt $plain "$plain.encrypted" kms $options
            $seen.providers | Should -Be @("aws-kms $($Key.Arn)", "aws-kms $($Other.Arn)")
            Remove-Item $plain
            (Unprotect-KmsFile "$plain.encrypted" -KeyId $Other.Arn -EncryptionContext @{ via = 'server' }).Length | Should -Be 18
            Get-Content $plain -Raw | Should -BeExactly 'through the server'

            $ours = Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ via = 'module' } -Destination (Join-Path $Work 'kms-ours.msg')
            $out = Join-Path $Work 'kms-ours.out'
            $seen = Invoke-Esdk decrypt $ours.Path $out kms @{ endpoint = $server.Url; region = 'us-east-1'; generatorKeyId = $Key.Arn; context = @{ via = 'module' } }
            Get-Content $out -Raw | Should -BeExactly 'through the server'
            $seen.messageId | Should -BeExactly $ours.MessageId
        }
        finally { $server | Stop-KmsServer }
    }

    It 'decrypts the test vector of docs/encryption-sdk-format.md' {
        if (-not (Test-Esdk)) { return }
        $doc = Get-Content (Join-Path (Split-Path $PSScriptRoot -Parent) 'docs/encryption-sdk-format.md') -Raw
        $hex = [regex]::Match($doc, '(?s)<!-- vector -->\s*```text\s*(.*?)```').Groups[1].Value -split "`n" | ForEach-Object { ($_ -split '\s{2,}')[0] -replace '\s', '' }
        $bytes = [Convert]::FromHexString(-join $hex)
        $file = Join-Path $Work 'vector.msg'; [IO.File]::WriteAllBytes($file, $bytes)
        $dataKey = [Convert]::ToBase64String([byte[]](0..31))
        $seen = Invoke-Esdk decrypt $file (Join-Path $Work 'vector.out') static @{ dataKey = $dataKey }
        Get-Content (Join-Path $Work 'vector.out') -Raw | Should -BeExactly "Hello, KmsTools!`n"
        $seen.encryptionContext.purpose | Should -BeExactly 'test vector'
    }
}

Describe 'Get-KmsEncryptedMessage' {
    It 'reads a header from a file, from bytes and from base64, without a key' {
        $plain = New-TestFile 'header.txt' 'header only'
        $message = Protect-KmsFile $plain -KeyId alias/esdk -EncryptionContext @{ k = 'v' } -Force
        $fromFile = Get-KmsEncryptedMessage -LiteralPath $message.Path
        $fromBytes = Get-KmsEncryptedMessage -InputObject ([IO.File]::ReadAllBytes($message.Path))
        $fromText = Get-KmsEncryptedMessage -InputObject ([Convert]::ToBase64String([IO.File]::ReadAllBytes($message.Path)))
        foreach ($read in $fromFile, $fromBytes, $fromText) {
            $read.MessageId | Should -BeExactly $message.MessageId
            $read.EncryptionContext['k'] | Should -BeExactly 'v'
            $read.EncryptedDataKeys.ProviderInfo | Should -BeExactly $Key.Arn
        }
        $fromFile.Length | Should -Be $message.Length
        $failure = Get-Failure { Get-KmsEncryptedMessage -InputObject ([byte[]](1..10)) -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.GetKmsEncryptedMessageCommand'
    }

    It 'reads a message piped in as bytes (one header, not an error per byte), files from Get-ChildItem, and paths as text' {
        $bytes = 'piped' | Protect-KmsData -KeyId $Key.KeyId
        $fromPipe = @($bytes | Get-KmsEncryptedMessage -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors.Count | Should -Be 0
        $fromPipe.Count | Should -Be 1
        $fromPipe[0].EncryptedDataKeys.ProviderId | Should -BeExactly 'aws-kms'
        $file = Join-Path $Work 'piped.bin.encrypted'; [IO.File]::WriteAllBytes($file, $bytes)
        (Get-Content -AsByteStream -LiteralPath $file | Get-KmsEncryptedMessage).MessageId | Should -BeExactly $fromPipe[0].MessageId
        (Get-Item $file | Get-KmsEncryptedMessage).Path | Should -BeExactly $file
        ($file | Get-KmsEncryptedMessage).MessageId | Should -BeExactly $fromPipe[0].MessageId
        $failure = Get-Failure { [byte[]](1..10) | Get-KmsEncryptedMessage -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidCiphertextException,*'
    }

    It 'tab-completes -Algorithm with the suites the commitment policy allows' {
        $all = (TabExpansion2 'Protect-KmsFile -Algorithm ' 27).CompletionMatches.CompletionText
        $all | Should -Be @('ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384', 'ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY')
        $line = 'Protect-KmsFile -CommitmentPolicy ForbidEncryptAllowDecrypt -Algorithm ALG_AES_128'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256', 'ALG_AES_128_GCM_IV12_TAG16_HKDF_SHA256', 'ALG_AES_128_GCM_IV12_TAG16_NO_KDF')
    }
}
