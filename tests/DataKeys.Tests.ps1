# Run twice by build/Invoke-PesterSuite.ps1: on the local engine, and -Through Server, every cmdlet through Start-KmsServer.
param([ValidateSet('Local', 'Server')] [string] $Through = 'Local')

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Key = New-KmsKey -Description 'data keys'
    $script:Other = New-KmsKey -Description 'other key'
    New-KmsAlias 'alias/data' $Key.KeyId
    New-KmsAlias 'alias/other' $Other.KeyId
    $script:ChinaKey = New-KmsKey -Description 'SM2 pairs' -Region cn-north-1
    $script:Specs = 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519'
    # One pair per spec for the whole file; RSA_4096 takes seconds.
    $script:Pairs = @{}
    foreach ($spec in $Specs) {
        $Pairs[$spec] = if ($spec -eq 'SM2') { New-KmsDataKeyPair $ChinaKey.KeyId SM2 -Region cn-north-1 -EncryptionContext @{ spec = $spec } }
                        else { New-KmsDataKeyPair alias/data $spec -EncryptionContext @{ spec = $spec } }
    }
    function Get-PublicKeyOf([byte[]] $Pkcs8) {
        # The public half of a PKCS#8 private key, by openssl when present, else by .NET for RSA and EC.
        $file = Join-Path $StoreHome ([guid]::NewGuid().ToString('N') + '.der')
        try {
            [IO.File]::WriteAllBytes($file, $Pkcs8)
            if (Get-Command openssl -ErrorAction SilentlyContinue) {
                $out = "$file.pub"
                & openssl pkey -inform DER -in $file -pubout -outform DER -out $out 2>$null
                if ($LASTEXITCODE -ne 0) { throw "openssl could not read the private key" }
                return [Convert]::ToBase64String([IO.File]::ReadAllBytes($out))
            }
            foreach ($algorithm in [System.Security.Cryptography.ECDsa], [System.Security.Cryptography.RSA]) {
                try { $k = $algorithm::Create(); $read = 0; $k.ImportPkcs8PrivateKey($Pkcs8, [ref]$read); return [Convert]::ToBase64String($k.ExportSubjectPublicKeyInfo()) } catch { }
            }
            throw 'no reader for this key'
        } finally { Remove-Item "$file*" -ErrorAction SilentlyContinue }
    }
}

AfterAll {
    Stop-TestServer
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-KmsDataKeyPair' {
    It '<_>: PrivateKeyPlaintext is PKCS#8 whose public half is PublicKey, and the blob decrypts to it' -ForEach @('RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519') {
        $pair = $Pairs[$_]
        $pair.KeyPairSpec | Should -BeExactly $_
        if ($_ -in 'SM2', 'ECC_NIST_EDWARDS25519', 'ECC_SECG_P256K1' -and -not (Get-Command openssl -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'openssl is needed to read this key type'
        }
        Get-PublicKeyOf $pair.PrivateKeyPlaintext | Should -BeExactly $pair.PublicKeyBase64
        $region = if ($_ -eq 'SM2') { 'cn-north-1' } else { 'us-east-1' }
        $decrypted = $pair | Invoke-KmsDecrypt -Region $region
        [Convert]::ToBase64String($decrypted.Plaintext) | Should -BeExactly ([Convert]::ToBase64String($pair.PrivateKeyPlaintext))
    }

    It 'offers the private key as PKCS#8 PEM, and the default view shows only its length' {
        $pair = $Pairs['ECC_NIST_P256']
        $pair.GetPrivateKeyPem() | Should -Match '^-----BEGIN PRIVATE KEY-----\n'
        $view = $pair | Out-String
        $view | Should -Match 'PrivateKeyPlaintext\s+: \d+ bytes \(hidden'
        $view | Should -Not -Match 'BEGIN PRIVATE KEY'
        $view | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($pair.PrivateKeyPlaintext).Substring(0, 16)))
    }

    It 'refuses an asymmetric KMS key naming GenerateDataKeyPair' {
        $signing = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY
        { New-KmsDataKeyPair $signing.KeyId RSA_4096 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidKeyUsageException,KmsTools.Commands.NewKmsDataKeyPairCommand' -ExpectedMessage "$($signing.Arn) key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPair."
    }
}

Describe 'New-KmsDataKey and New-KmsDataKeyWithoutPlaintext' {
    It 'makes a <Length>-byte key with <Name>' -ForEach @(
        @{ Name = '-KeySpec AES_256'; Arguments = @{ KeySpec = 'AES_256' }; Length = 32 }
        @{ Name = '-KeySpec AES_128'; Arguments = @{ KeySpec = 'AES_128' }; Length = 16 }
        @{ Name = '-NumberOfBytes 1'; Arguments = @{ NumberOfBytes = 1 }; Length = 1 }
        @{ Name = '-NumberOfBytes 1024'; Arguments = @{ NumberOfBytes = 1024 }; Length = 1024 }
    ) {
        $dataKey = New-KmsDataKey -KeyId alias/data @Arguments -EncryptionContext @{ use = 'test' }
        $dataKey.Plaintext.Length | Should -Be $Length
        $dataKey.KeyId | Should -BeExactly $Key.Arn
        $dataKey.KeyMaterialId | Should -BeExactly $Key.CurrentKeyMaterialId
        $decrypted = $dataKey | Invoke-KmsDecrypt
        [Convert]::ToBase64String($decrypted.Plaintext) | Should -BeExactly ([Convert]::ToBase64String($dataKey.Plaintext))
    }

    It 'pipes New-KmsDataKeyWithoutPlaintext into Invoke-KmsDecrypt' {
        $encrypted = New-KmsDataKeyWithoutPlaintext alias/data -KeySpec AES_256 -EncryptionContext 'tenant=a'
        $encrypted.PSObject.Properties.Name | Should -Not -Contain 'Plaintext'
        ($encrypted | Invoke-KmsDecrypt).Plaintext.Length | Should -Be 32
    }

    It 'gives a fresh key every call' {
        $a = New-KmsDataKey alias/data -KeySpec AES_256
        $b = New-KmsDataKey alias/data -KeySpec AES_256
        [Convert]::ToBase64String($a.Plaintext) | Should -Not -Be ([Convert]::ToBase64String($b.Plaintext))
    }
}

Describe 'Invoke-KmsEncrypt, Invoke-KmsDecrypt and Invoke-KmsReEncrypt' {
    It 'round-trips bytes, an array of byte values, a file and text' {
        $bytes = [byte[]](0..255)
        ((Invoke-KmsEncrypt alias/data -Plaintext $bytes) | Invoke-KmsDecrypt).Plaintext | Should -Be $bytes
        ((Invoke-KmsEncrypt alias/data -Plaintext ([object[]][long[]](0..255))) | Invoke-KmsDecrypt).Plaintext | Should -Be $bytes
        $file = Join-Path $StoreHome 'plain.bin'
        [IO.File]::WriteAllBytes($file, $bytes)
        ((Invoke-KmsEncrypt alias/data -Plaintext (Get-Item $file)) | Invoke-KmsDecrypt).Plaintext | Should -Be $bytes
        $text = Invoke-KmsEncrypt alias/data -PlaintextString 'grüße' -EncryptionContext @{ lang = 'de' } | Invoke-KmsDecrypt
        [Text.Encoding]::UTF8.GetString($text.Plaintext) | Should -BeExactly 'grüße'
    }

    It 'takes a blob as a file (Get-Item)' {
        $blobFile = Join-Path $StoreHome 'blob.bin'
        [IO.File]::WriteAllBytes($blobFile, (Invoke-KmsEncrypt alias/data -PlaintextString 'from a file').CiphertextBlob)
        [Text.Encoding]::UTF8.GetString((Invoke-KmsDecrypt -CiphertextBlob (Get-Item $blobFile)).Plaintext) | Should -BeExactly 'from a file'
    }

    It 'takes plaintext from the pipeline as text' {
        $results = 'one', 'two' | Invoke-KmsEncrypt -KeyId alias/data
        $results.Count | Should -Be 2
        ($results | Invoke-KmsDecrypt | ForEach-Object { [Text.Encoding]::UTF8.GetString($_.Plaintext) }) | Should -Be @('one', 'two')
    }

    It 'checks -KeyId on Decrypt: IncorrectKeyException for a blob of another key' {
        $blob = (Invoke-KmsEncrypt alias/data -PlaintextString 'x').CiphertextBlob
        { Invoke-KmsDecrypt -CiphertextBlob $blob -KeyId alias/other -ErrorAction Stop } | Should -Throw -ErrorId 'IncorrectKeyException,KmsTools.Commands.InvokeKmsDecryptCommand'
        (Invoke-KmsDecrypt -CiphertextBlob $blob -KeyId alias/data -EncryptionAlgorithm SYMMETRIC_DEFAULT).Plaintext | Should -Be ([byte][char]'x')
    }

    It 'ReEncrypt from the pipeline: to another key and context; the old context no longer opens it' {
        $encrypted = Invoke-KmsEncrypt alias/data -PlaintextString 'moving' -EncryptionContext @{ stage = 'one' }
        $moved = $encrypted | Invoke-KmsReEncrypt -DestinationKeyId alias/other -DestinationEncryptionContext @{ stage = 'two' }
        $moved.KeyId | Should -BeExactly $Other.Arn
        $moved.SourceKeyId | Should -BeExactly $Key.Arn
        $moved.SourceKeyMaterialId | Should -BeExactly $Key.CurrentKeyMaterialId
        $moved.DestinationKeyMaterialId | Should -BeExactly $Other.CurrentKeyMaterialId
        $moved.PSObject.Properties.Name | Should -Not -Contain 'Plaintext'
        [Text.Encoding]::UTF8.GetString(($moved | Invoke-KmsDecrypt).Plaintext) | Should -BeExactly 'moving'
        { Invoke-KmsDecrypt -CiphertextBlob $moved.CiphertextBlob -EncryptionContext @{ stage = 'one' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'ReEncrypt under the same key with a new context' {
        $encrypted = Invoke-KmsEncrypt alias/data -PlaintextString 'same key'
        $moved = $encrypted | Invoke-KmsReEncrypt -DestinationKeyId alias/data -DestinationEncryptionContext 'v=2'
        [Text.Encoding]::UTF8.GetString((Invoke-KmsDecrypt -CiphertextBlob $moved.CiphertextBlobBase64 -EncryptionContext 'v=2').Plaintext) | Should -BeExactly 'same key'
    }

    It 'a blob made before a rotation still decrypts and re-encrypts after it' {
        $rotating = New-KmsKey -Description 'rotates'
        $before = Invoke-KmsEncrypt $rotating.KeyId -PlaintextString 'before rotation'
        $dataKey = New-KmsDataKeyWithoutPlaintext $rotating.KeyId -KeySpec AES_256
        Invoke-KmsKeyRotation $rotating.KeyId | Out-Null
        $after = Invoke-KmsEncrypt $rotating.KeyId -PlaintextString 'after rotation'
        ($before | Invoke-KmsDecrypt).KeyMaterialId | Should -BeExactly $rotating.CurrentKeyMaterialId
        ($after | Invoke-KmsDecrypt).KeyMaterialId | Should -Not -Be $rotating.CurrentKeyMaterialId
        ($dataKey | Invoke-KmsDecrypt).Plaintext.Length | Should -Be 32
        ($before | Invoke-KmsReEncrypt -DestinationKeyId $rotating.KeyId | Invoke-KmsDecrypt).KeyMaterialId | Should -BeExactly ($after | Invoke-KmsDecrypt).KeyMaterialId
    }

    It 'survives Export-Clixml: a data key blob decrypts after Import-Clixml' {
        $file = Join-Path $StoreHome 'datakey.clixml'
        New-KmsDataKeyWithoutPlaintext alias/data -KeySpec AES_128 -EncryptionContext @{ saved = 'yes' } | Export-Clixml $file
        (Import-Clixml $file | Invoke-KmsDecrypt).Plaintext.Length | Should -Be 16
    }
}

Describe 'Get-KmsRandom' {
    It 'returns <_> random bytes' -ForEach @(1, 32, 1024) {
        (Get-KmsRandom -NumberOfBytes $_).Plaintext.Length | Should -Be $_
    }

    It 'rejects <_> bytes with ValidationException' -ForEach @(0, 1025) {
        { Get-KmsRandom $_ -ErrorAction Stop } | Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.GetKmsRandomCommand'
    }
}

Describe 'Bad input gets its KMS-named error and writes nothing' {
    It '<Name>: <ErrorId>' -ForEach @(
        @{ Name = 'Encrypt 0 bytes'; Command = { Invoke-KmsEncrypt alias/data -Plaintext ([byte[]]@()) -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = "^1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1$" }
        @{ Name = 'Encrypt 0 characters'; Command = { Invoke-KmsEncrypt alias/data -PlaintextString '' -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = 'greater than or equal to 1' }
        @{ Name = 'Encrypt 4097 bytes'; Command = { Invoke-KmsEncrypt alias/data -Plaintext ([byte[]]::new(4097)) -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = "^1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096$" }
        @{ Name = 'NumberOfBytes 0'; Command = { New-KmsDataKey alias/data -NumberOfBytes 0 -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.NewKmsDataKeyCommand'; Message = "^1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1$" }
        @{ Name = 'NumberOfBytes 1025'; Command = { New-KmsDataKeyWithoutPlaintext alias/data -NumberOfBytes 1025 -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.NewKmsDataKeyWithoutPlaintextCommand'; Message = "^1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024$" }
        @{ Name = 'both KeySpec and NumberOfBytes'; Command = { New-KmsDataKey alias/data -KeySpec AES_256 -NumberOfBytes 32 -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.NewKmsDataKeyCommand'; Message = '^Please specify either number of bytes or key spec\.$' }
        @{ Name = 'neither KeySpec nor NumberOfBytes'; Command = { New-KmsDataKey alias/data -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.NewKmsDataKeyCommand'; Message = '^Please specify either number of bytes or key spec\.$' }
        @{ Name = 'unknown data key spec'; Command = { New-KmsDataKey alias/data -KeySpec AES_512 -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.NewKmsDataKeyCommand'; Message = "Value 'AES_512' at 'keySpec'" }
        @{ Name = 'a blob from another key with -KeyId'; Command = { Invoke-KmsDecrypt -CiphertextBlob (Invoke-KmsEncrypt alias/other -PlaintextString x).CiphertextBlob -KeyId alias/data -ErrorAction Stop }; ErrorId = 'IncorrectKeyException,KmsTools.Commands.InvokeKmsDecryptCommand'; Message = 'does not identify a CMK' }
        @{ Name = 'ReEncrypt with a wrong source context'; Command = { Invoke-KmsEncrypt alias/data -PlaintextString x -EncryptionContext @{ a = '1' } | Invoke-KmsReEncrypt -DestinationKeyId alias/other -SourceEncryptionContext @{ a = '2' } -ErrorAction Stop }; ErrorId = 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsReEncryptCommand'; Message = '^$' }
        @{ Name = 'ReEncrypt from another source key'; Command = { Invoke-KmsReEncrypt -CiphertextBlob (Invoke-KmsEncrypt alias/data -PlaintextString x).CiphertextBlob -SourceKeyId alias/other -DestinationKeyId alias/other -ErrorAction Stop }; ErrorId = 'IncorrectKeyException,KmsTools.Commands.InvokeKmsReEncryptCommand'; Message = 'does not identify a CMK' }
        @{ Name = 'a base64 blob with a bad character'; Command = { Invoke-KmsDecrypt -CiphertextBlob 'S1QB*AAAA' -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsDecryptCommand'; Message = 'is not valid base64' }
        @{ Name = 'a plaintext string that is not base64'; Command = { Invoke-KmsEncrypt alias/data -Plaintext 'secret words!' -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = 'use -PlaintextString' }
        @{ Name = 'a blob that is not a blob'; Command = { Invoke-KmsDecrypt -CiphertextBlob 42 -ErrorAction Stop }; ErrorId = 'ValidationException,KmsTools.Commands.InvokeKmsDecryptCommand'; Message = 'is not a blob' }
        @{ Name = 'Encrypt with a disabled key'; Command = { $k = New-KmsKey; Disable-KmsKey $k.KeyId; Invoke-KmsEncrypt $k.KeyId -PlaintextString x -ErrorAction Stop }; ErrorId = 'DisabledException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = 'is disabled\.$' }
        @{ Name = 'DryRun on GenerateDataKey'; Command = { New-KmsDataKey alias/data -KeySpec AES_256 -DryRun -ErrorAction Stop }; ErrorId = 'DryRunOperationException,KmsTools.Commands.NewKmsDataKeyCommand'; Message = 'DryRun option is set' }
        @{ Name = 'DryRun on Encrypt'; Command = { Invoke-KmsEncrypt alias/data -PlaintextString x -DryRun -ErrorAction Stop }; ErrorId = 'DryRunOperationException,KmsTools.Commands.InvokeKmsEncryptCommand'; Message = 'DryRun option is set' }
        @{ Name = 'DryRun on ReEncrypt'; Command = { Invoke-KmsEncrypt alias/data -PlaintextString x | Invoke-KmsReEncrypt -DestinationKeyId alias/other -DryRun -ErrorAction Stop }; ErrorId = 'DryRunOperationException,KmsTools.Commands.InvokeKmsReEncryptCommand'; Message = 'DryRun option is set' }
    ) {
        $failure = $null
        $before = Get-StoreSnapshot
        try { & $Command } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeExactly $ErrorId
        $failure.Exception.Message | Should -Match $Message
        if ($Name -notlike '*disabled*') { Get-StoreSnapshot | Should -BeExactly $before }
    }

    It 'never echoes a plaintext in an error or its target' {
        $failure = $null
        try { Invoke-KmsEncrypt alias/data -Plaintext 'TopSecretPassw0rd!' -ErrorAction Stop } catch { $failure = $_ }
        "$($failure.Exception.Message) $($failure.ErrorDetails.Message)" | Should -Not -Match 'TopSecret'
        $failure.TargetObject | Should -BeExactly 'alias/data'
    }

    It 'keeps plaintext out of -Verbose and -Debug for every data key cmdlet' {
        $records = & {
            $DebugPreference = 'Continue'
            New-KmsDataKey alias/data -KeySpec AES_256 -Verbose
            Invoke-KmsEncrypt alias/data -PlaintextString 'VerboseSecret' -Verbose
            Get-KmsRandom 32 -Verbose
        } *>&1
        $results = $records | Where-Object { $_.PSObject.TypeNames[0] -like 'KmsTools.Model.*' }
        $messages = ($records | Where-Object { $_.PSObject.TypeNames[0] -notlike 'KmsTools.Model.*' } | ForEach-Object { "$_" }) -join "`n"
        $messages | Should -Match 'GenerateDataKey'
        $messages | Should -Not -Match 'VerboseSecret'
        foreach ($result in $results | Where-Object { $_.PSObject.Properties['Plaintext'] }) {
            $messages | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($result.Plaintext).Substring(0, 12)))
        }
    }
}

Describe 'Key states against the data-key cmdlets' {
    BeforeAll {
        $script:Disabled = New-KmsKey -Description 'disabled'
        $script:DisabledBlob = (Invoke-KmsEncrypt $Disabled.KeyId -PlaintextString x).CiphertextBlob
        Disable-KmsKey $Disabled.KeyId
        $script:Deleting = New-KmsKey -Description 'deleting'
        $script:DeletingBlob = (Invoke-KmsEncrypt $Deleting.KeyId -PlaintextString x).CiphertextBlob
        Request-KmsKeyDeletion $Deleting.KeyId -Confirm:$false | Out-Null
    }

    It '<Command> on a <State> key: <ErrorId>' -ForEach @(
        foreach ($state in @(@{ State = 'Disabled'; ErrorId = 'DisabledException' }, @{ State = 'PendingDeletion'; ErrorId = 'KMSInvalidStateException' })) {
            foreach ($command in 'New-KmsDataKey', 'New-KmsDataKeyWithoutPlaintext', 'New-KmsDataKeyPair', 'Invoke-KmsEncrypt', 'Invoke-KmsDecrypt', 'Invoke-KmsReEncrypt (source)', 'Invoke-KmsReEncrypt (destination)') {
                @{ State = $state.State; ErrorId = $state.ErrorId; Command = $command }
            }
        }
    ) {
        $keyId = if ($State -eq 'Disabled') { $Disabled.KeyId } else { $Deleting.KeyId }
        $blob = if ($State -eq 'Disabled') { $DisabledBlob } else { $DeletingBlob }
        $run = switch ($Command) {
            'New-KmsDataKey' { { New-KmsDataKey $keyId -KeySpec AES_256 -ErrorAction Stop } }
            'New-KmsDataKeyWithoutPlaintext' { { New-KmsDataKeyWithoutPlaintext $keyId -NumberOfBytes 8 -ErrorAction Stop } }
            'New-KmsDataKeyPair' { { New-KmsDataKeyPair $keyId ECC_NIST_P256 -ErrorAction Stop } }
            'Invoke-KmsEncrypt' { { Invoke-KmsEncrypt $keyId -PlaintextString x -ErrorAction Stop } }
            'Invoke-KmsDecrypt' { { Invoke-KmsDecrypt -CiphertextBlob $blob -ErrorAction Stop } }
            'Invoke-KmsReEncrypt (source)' { { Invoke-KmsReEncrypt -CiphertextBlob $blob -DestinationKeyId alias/data -ErrorAction Stop } }
            'Invoke-KmsReEncrypt (destination)' { { Invoke-KmsEncrypt alias/data -PlaintextString x | Invoke-KmsReEncrypt -DestinationKeyId $keyId -ErrorAction Stop } }
        }
        $failure = $null
        try { & $run } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
    }
}
