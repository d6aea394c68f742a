# Run twice by build/Invoke-PesterSuite.ps1: on the local engine, and -Through Server, every cmdlet through Start-KmsServer.
param([ValidateSet('Local', 'Server')] [string] $Through = 'Local')

BeforeDiscovery {
    # Discovery decides what is skipped, before BeforeAll runs.
    $script:HasOpenSsl = [bool](Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Key = New-KmsKey -Description 'pester data key pairs'
    New-KmsAlias -AliasName 'alias/pester' -TargetKeyId $Key.KeyId
    $script:ChinaKey = New-KmsKey -Description 'pester SM2' -Region cn-north-1
    $script:Specs = 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519'
    # One pair per spec for the whole file: RSA_4096 takes seconds, so it is generated once and reused.
    $script:Pairs = @{}
    foreach ($spec in $Specs) {
        $Pairs[$spec] = if ($spec -eq 'SM2') {
            New-KmsDataKeyPairWithoutPlaintext -KeyId $ChinaKey.KeyId -KeyPairSpec SM2 -Region cn-north-1 -EncryptionContext @{ spec = $spec }
        } else {
            New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pester -KeyPairSpec $spec -EncryptionContext @{ spec = $spec }
        }
    }
    $script:Work = Join-Path $StoreHome 'work'
    New-Item -ItemType Directory -Path $Work -Force | Out-Null
}

AfterAll {
    Stop-TestServer
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-KmsDataKeyPairWithoutPlaintext output' {
    It 'returns the typed result for <_>' -ForEach @('RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519') {
        $pair = $Pairs[$_]
        $pair.GetType().FullName | Should -Be 'KmsTools.Model.GenerateDataKeyPairWithoutPlaintextResponse'
        $pair.KeyPairSpec | Should -BeExactly $_
        $pair.PublicKey | Should -BeOfType [byte]
        $pair.PrivateKeyCiphertextBlob.GetType() | Should -Be ([byte[]])
        $pair.PublicKeyBase64 | Should -BeExactly ([Convert]::ToBase64String($pair.PublicKey))
        $pair.PrivateKeyCiphertextBlobBase64 | Should -BeExactly ([Convert]::ToBase64String($pair.PrivateKeyCiphertextBlob))
        $pair.PublicKeyPem | Should -Match '^-----BEGIN PUBLIC KEY-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END PUBLIC KEY-----\n$'
        $pair.KeyMaterialId | Should -Match '^[a-f0-9]{64}$'
        $pair.EncryptionContext['spec'] | Should -BeExactly $_
        $expectedKey = if ($_ -eq 'SM2') { $ChinaKey.Arn } else { $Key.Arn }
        $pair.KeyId | Should -BeExactly $expectedKey
    }

    It 'returns the key ARN of the KMS key, whatever form of KeyId was given' {
        foreach ($id in $Key.KeyId, $Key.Arn, 'alias/pester', 'arn:aws:kms:us-east-1:111122223333:alias/pester') {
            (New-KmsDataKeyPairWithoutPlaintext -KeyId $id -KeyPairSpec ECC_NIST_P256).KeyId | Should -BeExactly $Key.Arn
        }
    }

    It 'shows no secret and no raw bytes in the default view' {
        $text = $Pairs['ECC_NIST_P256'] | Out-String
        $text | Should -Match 'KeyPairSpec\s+: ECC_NIST_P256'
        $text | Should -Match 'PrivateKeyCiphertextBlob\s+: \d+ bytes'
        $decrypted = $Pairs['ECC_NIST_P256'] | Invoke-KmsDecrypt
        $view = $decrypted | Out-String
        $view | Should -Match 'Plaintext\s+: 138 bytes \(hidden'
        $view | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($decrypted.Plaintext).Substring(0, 16)))
    }
}

Describe 'Interoperability with openssl' -Skip:(-not $HasOpenSsl) {
    It '<_>: openssl reads PublicKey as DER and PEM, and the decrypted PKCS#8 private key has the same public half' -ForEach @('RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519') {
        $pair = $Pairs[$_]
        $der = Join-Path $Work "$_.pub.der"; $pem = Join-Path $Work "$_.pub.pem"; $private = Join-Path $Work "$_.p8.der"; $derived = Join-Path $Work "$_.derived.der"
        [IO.File]::WriteAllBytes($der, $pair.PublicKey)
        Set-Content -Path $pem -Value $pair.PublicKeyPem -NoNewline
        & $OpenSsl pkey -pubin -inform DER -in $der -noout 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        $text = & $OpenSsl pkey -pubin -in $pem -noout -text 2>&1
        $LASTEXITCODE | Should -Be 0
        $expected = @{ RSA_2048 = 'Public-Key: \(2048 bit\)'; RSA_3072 = 'Public-Key: \(3072 bit\)'; RSA_4096 = 'Public-Key: \(4096 bit\)'
            ECC_NIST_P256 = 'P-256'; ECC_NIST_P384 = 'P-384'; ECC_NIST_P521 = 'P-521'; ECC_SECG_P256K1 = 'secp256k1'; SM2 = 'SM2'; ECC_NIST_EDWARDS25519 = 'ED25519' }[$_]
        ($text -join "`n") | Should -Match $expected

        $region = if ($_ -eq 'SM2') { 'cn-north-1' } else { 'us-east-1' }
        $plain = Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob -EncryptionContext @{ spec = $_ } -Region $region
        try {
            [IO.File]::WriteAllBytes($private, $plain.Plaintext)
            & $OpenSsl pkey -inform DER -in $private -pubout -outform DER -out $derived 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0
            [Convert]::ToBase64String([IO.File]::ReadAllBytes($derived)) | Should -BeExactly $pair.PublicKeyBase64
            # PKCS#8 PrivateKeyInfo: the outer SEQUENCE holds version, algorithm identifier, privateKey.
            (& $OpenSsl asn1parse -inform DER -in $private) -join "`n" | Should -Match 'INTEGER\s+:0\d?'
        }
        finally {
            [Array]::Clear($plain.Plaintext, 0, $plain.Plaintext.Length)
            Remove-Item $private -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Encryption contexts' {
    It 'takes a <Name> and binds it to the private key' -ForEach @(
        @{ Name = 'hashtable'; Context = @{ app = 'billing'; env = 'prod' } }
        @{ Name = 'ordered dictionary'; Context = [ordered]@{ env = 'prod'; app = 'billing' } }
        @{ Name = 'CLI shorthand'; Context = 'app=billing,env=prod' }
        @{ Name = 'JSON object'; Context = '{"app":"billing","env":"prod"}' }
    ) {
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pester -KeyPairSpec ECC_NIST_P256 -EncryptionContext $Context
        $pair.EncryptionContext.Count | Should -Be 2
        $pair.EncryptionContext['app'] | Should -BeExactly 'billing'
        # Any of the forms decrypts it, the pair order does not matter.
        (Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob -EncryptionContext 'env=prod,app=billing').Plaintext.Length | Should -BeGreaterThan 0
        (Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob -EncryptionContext @{ app = 'billing'; env = 'prod' }).KeyId | Should -BeExactly $Key.Arn
    }

    It 'rejects <Name> with ValidationException and writes nothing' -ForEach @(
        @{ Name = 'a non-string value'; Context = @{ n = 1 } }
        @{ Name = 'a JSON number value'; Context = '{"n": 1}' }
        @{ Name = 'broken JSON'; Context = '{"n": "1"' }
        @{ Name = 'shorthand without ='; Context = 'purpose' }
        @{ Name = 'an array'; Context = (, @('a', 'b')) }
    ) {
        $before = Get-StoreSnapshot
        { New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pester -KeyPairSpec ECC_NIST_P256 -EncryptionContext $Context -ErrorAction Stop } |
            Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand'
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'fails Decrypt with InvalidCiphertextException for a <Name> context' -ForEach @(
        @{ Name = 'missing'; Context = $null }
        @{ Name = 'smaller'; Context = @{ a = '1' } }
        @{ Name = 'larger'; Context = @{ a = '1'; b = '2'; c = '3' } }
        @{ Name = 'changed value'; Context = @{ a = '1'; b = 'X' } }
        @{ Name = 'changed key case'; Context = @{ A = '1'; b = '2' } }
        @{ Name = 'concatenation-equal'; Context = @{ a = '1b'; '' = '2' } }
    ) {
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pester -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ a = '1'; b = '2' }
        { Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob -EncryptionContext $Context -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }
}

Describe 'Pipeline' {
    It 'RSA pairs are computed ahead whether KeyPairSpec comes from a parameter or from -CliInputJson; other specs run inline (<Case>)' -ForEach @(
        @{ Case = 'parameter RSA'; Options = @{ KeyPairSpec = 'RSA_2048' }; Ahead = $true }
        @{ Case = '-CliInputJson RSA'; Options = @{ CliInputJson = '{"KeyPairSpec": "RSA_2048"}' }; Ahead = $true }
        @{ Case = 'parameter ECC'; Options = @{ KeyPairSpec = 'ECC_NIST_P256' }; Ahead = $false }
    ) {
        # While an item's result is delivered downstream, the items after it are in flight only if they run ahead.
        $inFlight = @(1..3 | ForEach-Object { $Key.KeyId } | New-KmsDataKeyPairWithoutPlaintext @Options |
            ForEach-Object { [KmsTools.Commands.KmsCmdlet]::PendingAheadItems })
        $inFlight.Count | Should -Be 3
        if ($Ahead) { ($inFlight | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 0 }
        else { ($inFlight | Measure-Object -Maximum).Maximum | Should -Be 0 }
        [KmsTools.Commands.KmsCmdlet]::PendingAheadItems | Should -Be 0
    }

    It 'binds KeyId by value from strings' {
        $results = 'alias/pester', $Key.KeyId | New-KmsDataKeyPairWithoutPlaintext -KeyPairSpec ECC_NIST_P256
        $results.Count | Should -Be 2
    }

    It 'binds KeyId by property name from Get-KmsKey' {
        $result = Get-KmsKey -KeyId alias/pester | New-KmsDataKeyPairWithoutPlaintext -KeyPairSpec ECC_NIST_P384
        $result.KeyId | Should -BeExactly $Key.Arn
        $result.KeyPairSpec | Should -BeExactly 'ECC_NIST_P384'
    }

    It 'binds KeyId, KeyPairSpec and EncryptionContext by property name from any object' {
        $requests = @(
            [pscustomobject]@{ KeyId = 'alias/pester'; KeyPairSpec = 'ECC_NIST_P256'; EncryptionContext = @{ n = '1' } }
            [pscustomobject]@{ KeyId = $Key.Arn; KeyPairSpec = 'ECC_NIST_EDWARDS25519'; EncryptionContext = 'n=2' }
        )
        $results = $requests | New-KmsDataKeyPairWithoutPlaintext
        $results.KeyPairSpec | Should -Be @('ECC_NIST_P256', 'ECC_NIST_EDWARDS25519')
        $results[1].EncryptionContext['n'] | Should -BeExactly '2'
    }

    It 'pipes the result straight into Invoke-KmsDecrypt (blob, KeyId and context by property name)' {
        $pair = New-KmsDataKeyPairWithoutPlaintext alias/pester ECC_NIST_P256 -EncryptionContext @{ purpose = 'pipeline' }
        $decrypted = $pair | Invoke-KmsDecrypt
        $decrypted.KeyId | Should -BeExactly $Key.Arn
        $decrypted.EncryptionAlgorithm | Should -BeExactly 'SYMMETRIC_DEFAULT'
        $decrypted.KeyMaterialId | Should -BeExactly $pair.KeyMaterialId
        $ecdsa = [System.Security.Cryptography.ECDsa]::Create()
        $read = 0
        $ecdsa.ImportPkcs8PrivateKey($decrypted.Plaintext, [ref] $read)
        [Convert]::ToBase64String($ecdsa.ExportSubjectPublicKeyInfo()) | Should -BeExactly $pair.PublicKeyBase64
    }

    It 'survives Export-Clixml and Import-Clixml, then decrypts' {
        $pair = New-KmsDataKeyPairWithoutPlaintext alias/pester ECC_NIST_P256 -EncryptionContext @{ purpose = 'clixml'; team = 'ops' }
        $file = Join-Path $Work 'pair.clixml'
        $pair | Export-Clixml -Path $file
        $restored = Import-Clixml -Path $file
        $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.KmsTools.Model.GenerateDataKeyPairWithoutPlaintextResponse'
        $restored.PublicKeyPem | Should -BeExactly $pair.PublicKeyPem
        $decrypted = $restored | Invoke-KmsDecrypt
        $rsa = [System.Security.Cryptography.ECDsa]::Create()
        $read = 0
        $rsa.ImportPkcs8PrivateKey($decrypted.Plaintext, [ref] $read)
        [Convert]::ToBase64String($rsa.ExportSubjectPublicKeyInfo()) | Should -BeExactly $pair.PublicKeyBase64
    }

    It 'survives ConvertTo-Json: the base64 blob decrypts' {
        $pair = New-KmsDataKeyPairWithoutPlaintext alias/pester ECC_NIST_P256
        $json = $pair | ConvertTo-Json | ConvertFrom-Json
        (Invoke-KmsDecrypt -CiphertextBlob $json.PrivateKeyCiphertextBlobBase64).KeyMaterialId | Should -BeExactly $pair.KeyMaterialId
    }

    It 'writes PublicKeyPem to a file that openssl reads' -Skip:(-not $HasOpenSsl) {
        $file = Join-Path $Work 'pub.pem'
        (New-KmsDataKeyPairWithoutPlaintext alias/pester RSA_2048).PublicKeyPem | Set-Content -Path $file -NoNewline
        & $OpenSsl pkey -pubin -in $file -noout
        $LASTEXITCODE | Should -Be 0
    }

    It 'keeps the order of items, errors included, while RSA pairs are generated on every core' {
        $items = @(
            [pscustomobject]@{ KeyId = $Key.KeyId; KeyPairSpec = 'RSA_2048'; EncryptionContext = @{ n = '1' } }
            [pscustomobject]@{ KeyId = 'alias/missing'; KeyPairSpec = 'RSA_2048' }
            [pscustomobject]@{ KeyId = $Key.KeyId; KeyPairSpec = 'ECC_NIST_P256'; EncryptionContext = @{ n = '3' } }
            [pscustomobject]@{ KeyId = $Key.KeyId; KeyPairSpec = 'RSA_2048'; EncryptionContext = @{ n = '4' } }
            [pscustomobject]@{ KeyId = $Key.KeyId; KeyPairSpec = 'RSA_2048'; EncryptionContext = @{ n = '5' } }
        )
        $records = $items | New-KmsDataKeyPairWithoutPlaintext -ErrorAction Continue 2>&1
        $sequence = $records | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { "error:$($_.TargetObject)" } else { "$($_.KeyPairSpec):$($_.EncryptionContext['n'])" } }
        $sequence | Should -Be @('RSA_2048:1', 'error:alias/missing', 'ECC_NIST_P256:3', 'RSA_2048:4', 'RSA_2048:5')
        ($records | Where-Object KeyPairSpec -eq 'RSA_2048' | Select-Object -Last 1 | Invoke-KmsDecrypt).Plaintext.Length | Should -BeGreaterThan 1000
    }

    It 'goes on past a bad item: one error, the other items produce output' {
        $results = 'alias/pester', 'alias/missing', $Key.KeyId |
            New-KmsDataKeyPairWithoutPlaintext -KeyPairSpec ECC_NIST_P256 -ErrorAction SilentlyContinue -ErrorVariable failures
        $results.Count | Should -Be 2
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'NotFoundException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand'
        $failures[0].TargetObject | Should -BeExactly 'alias/missing'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Bad input gets a KMS-named error and changes nothing' {
    BeforeAll {
        $script:Signing = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY -Description 'pester signing key'
        $script:Disabled = New-KmsKey -Description 'pester disabled'
        Set-TestKeyState -KeyId $Disabled.KeyId -State Disabled
        $script:Deleting = New-KmsKey -Description 'pester pending deletion'
        Set-TestKeyState -KeyId $Deleting.KeyId -State PendingDeletion
    }

    It '<Name>: <ErrorId>' -ForEach @(
        @{ Name = 'unknown KeyPairSpec'; Arguments = @{ KeyId = 'alias/pester'; KeyPairSpec = 'RSA_1024' }; ErrorId = 'ValidationException'; Message = "Value 'RSA_1024' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: \[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519\]" }
        @{ Name = 'empty KeyId'; Arguments = @{ KeyId = ''; KeyPairSpec = 'RSA_4096' }; ErrorId = 'ValidationException'; Message = "Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1" }
        @{ Name = '2049-character KeyId'; Arguments = @{ KeyId = ('k' * 2049); KeyPairSpec = 'RSA_4096' }; ErrorId = 'ValidationException'; Message = 'Member must have length less than or equal to 2048' }
        @{ Name = 'unknown key id'; Arguments = @{ KeyId = '00000000-1111-2222-3333-444444444444'; KeyPairSpec = 'RSA_4096' }; ErrorId = 'NotFoundException'; Message = "^Key 'arn:aws:kms:us-east-1:111122223333:key/00000000-1111-2222-3333-444444444444' does not exist$" }
        @{ Name = 'malformed key id'; Arguments = @{ KeyId = 'fake-key-id'; KeyPairSpec = 'RSA_4096' }; ErrorId = 'NotFoundException'; Message = "^Invalid keyId 'fake-key-id'$" }
        @{ Name = 'unknown alias'; Arguments = @{ KeyId = 'alias/missing'; KeyPairSpec = 'RSA_4096' }; ErrorId = 'NotFoundException'; Message = '^Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found\.$' }
        @{ Name = 'SM2 outside China'; Arguments = @{ KeyId = 'alias/pester'; KeyPairSpec = 'SM2' }; ErrorId = 'UnsupportedOperationException'; Message = '^KeyPairSpec SM2 is not supported in this Region$' }
        @{ Name = '11 grant tokens'; Arguments = @{ KeyId = 'alias/pester'; KeyPairSpec = 'RSA_4096'; GrantTokens = (1..11 | ForEach-Object { "token$_" }) }; ErrorId = 'ValidationException'; Message = "at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10$" }
        @{ Name = 'DryRun'; Arguments = @{ KeyId = 'alias/pester'; KeyPairSpec = 'RSA_4096'; DryRun = $true }; ErrorId = 'DryRunOperationException'; Message = '^The request would have succeeded, but the DryRun option is set\.$' }
    ) {
        $before = Get-StoreSnapshot
        $failure = $null
        try { New-KmsDataKeyPairWithoutPlaintext @Arguments -ErrorAction Stop } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand"
        $failure.Exception.Message | Should -Match $Message
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'an asymmetric KMS key: InvalidKeyUsageException naming the operation' {
        $failure = $null
        try { New-KmsDataKeyPairWithoutPlaintext -KeyId $Signing.KeyId -KeyPairSpec RSA_4096 -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidKeyUsageException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand'
        $failure.Exception.Message | Should -BeExactly "$($Signing.Arn) key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPairWithoutPlaintext."
        $failure.TargetObject | Should -BeExactly $Signing.KeyId
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'a disabled key: DisabledException' {
        { New-KmsDataKeyPairWithoutPlaintext -KeyId $Disabled.KeyId -KeyPairSpec ECC_NIST_P256 -ErrorAction Stop } |
            Should -Throw -ErrorId 'DisabledException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand' -ExpectedMessage "$($Disabled.Arn) is disabled."
    }

    It 'a key pending deletion: KMSInvalidStateException' {
        { New-KmsDataKeyPairWithoutPlaintext -KeyId $Deleting.KeyId -KeyPairSpec ECC_NIST_P256 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidStateException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand' -ExpectedMessage "$($Deleting.Arn) is pending deletion."
    }

    It 'a doomed RSA_4096 request fails fast, before any key generation' {
        $elapsed = Measure-Command {
            1..5 | ForEach-Object { New-KmsDataKeyPairWithoutPlaintext -KeyId $Signing.KeyId -KeyPairSpec RSA_4096 -ErrorAction SilentlyContinue }
        }
        # Not a benchmark: five RSA_4096 generations would take many seconds; this only proves none ran.
        $elapsed.TotalSeconds | Should -BeLessThan 2
    }
}

Describe 'Invoke-KmsDecrypt bad input' {
    BeforeAll {
        $script:Blob = (New-KmsDataKeyPairWithoutPlaintext alias/pester ECC_NIST_P256 -EncryptionContext @{ k = 'v' }).PrivateKeyCiphertextBlob
    }

    It 'rejects a blob with byte <_> changed' -ForEach @(0, 2, 5, 20, 55, 70, 100, -1) {
        $tampered = [byte[]]$Blob.Clone()
        $index = if ($_ -lt 0) { $tampered.Length - 1 } else { $_ }
        $tampered[$index] = $tampered[$index] -bxor 0x20
        { Invoke-KmsDecrypt -CiphertextBlob $tampered -EncryptionContext @{ k = 'v' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'rejects a truncated blob' {
        { Invoke-KmsDecrypt -CiphertextBlob $Blob[0..($Blob.Length - 2)] -EncryptionContext @{ k = 'v' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'rejects an empty blob with ValidationException' {
        { Invoke-KmsDecrypt -CiphertextBlob ([byte[]]@()) -ErrorAction Stop } |
            Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.InvokeKmsDecryptCommand'
        { Invoke-KmsDecrypt -CiphertextBlob '' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'says what InvalidCiphertextException means even though KMS sends no message' {
        $failure = $null
        try { Invoke-KmsDecrypt -CiphertextBlob $Blob -ErrorAction Stop } catch { $failure = $_ }
        $failure.Exception.Message | Should -BeExactly ''
        $failure.ErrorDetails.Message | Should -Match 'encryption context differs'
    }

    It 'accepts the blob as a base64 string, decoded rather than read as text' {
        (Invoke-KmsDecrypt -CiphertextBlob ([Convert]::ToBase64String($Blob)) -EncryptionContext @{ k = 'v' }).Plaintext.Length | Should -BeGreaterThan 100
    }

    It 'rejects a string that is not base64 and says how to pass a blob' {
        $failure = $null
        try { Invoke-KmsDecrypt -CiphertextBlob 'not base64!' -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.InvokeKmsDecryptCommand'
        $failure.Exception.Message | Should -Match 'is not valid base64'
        $failure.Exception.Message | Should -Match 'Get-Item blob.bin'
    }

    It 'IncorrectKeyException when -KeyId names another key' {
        $other = New-KmsKey -Description 'pester other'
        { Invoke-KmsDecrypt -CiphertextBlob $Blob -EncryptionContext @{ k = 'v' } -KeyId $other.KeyId -ErrorAction Stop } |
            Should -Throw -ErrorId 'IncorrectKeyException,KmsTools.Commands.InvokeKmsDecryptCommand' -ExpectedMessage 'The key ID in the request does not identify a CMK that can perform this operation.'
    }

    It 'DryRun: DryRunOperationException and no plaintext' {
        $output = Invoke-KmsDecrypt -CiphertextBlob $Blob -EncryptionContext @{ k = 'v' } -DryRun -ErrorAction SilentlyContinue -ErrorVariable failures
        $output | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'DryRunOperationException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }
}

Describe 'Secrets stay out of streams' {
    It 'Verbose and Debug output carry no plaintext' {
        $pair = New-KmsDataKeyPairWithoutPlaintext alias/pester ECC_NIST_P256
        $streams = & { $DebugPreference = 'Continue'; $pair | Invoke-KmsDecrypt -Verbose } *>&1
        $isResult = { $_.PSObject.TypeNames[0] -eq 'KmsTools.Model.DecryptResponse' }
        $decrypted = $streams | Where-Object $isResult
        $messages = ($streams | Where-Object { -not (& $isResult) } | ForEach-Object { "$_" }) -join "`n"
        $messages | Should -Match $(if ($Through -eq 'Server') { 'remote KMS endpoint http://127\.0\.0\.1:\d+' } else { 'local KMS engine' }) -Because 'the trace says where requests go'
        $messages | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($decrypted.Plaintext).Substring(0, 12)))
    }
}

Describe 'Tab completion' {
    It 'completes KeyPairSpec values' {
        $line = 'New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pester -KeyPairSpec ECC_N'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_NIST_EDWARDS25519')
    }

    It 'completes aliases and key ids from the store' {
        $line = 'New-KmsDataKeyPairWithoutPlaintext -KeyId alias/pe'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'alias/pester'
        $line = "New-KmsDataKeyPairWithoutPlaintext -KeyId $($Key.KeyId.Substring(0, 8))"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain $Key.KeyId
    }
}
