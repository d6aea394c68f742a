BeforeDiscovery {
    $script:HasOpenSsl = [bool](Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue)
    if (-not $HasOpenSsl -and $env:CI) { throw 'openssl is missing: CI must run the key import tests.' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Work = New-Item -ItemType Directory -Path (Join-Path $StoreHome 'byok') -Force
    function Get-Failure {
        param([scriptblock] $Attempt)
        try { & $Attempt; $null } catch { $_ }
    }
    function Invoke-OpenSsl {
        & openssl @args 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "openssl $($args -join ' ') failed ($LASTEXITCODE)" }
    }
    $script:Step = 0
    function Protect-KeyMaterial {
        # AWS's documented openssl procedure: the material under RSA-OAEP (SHA-256) of the wrapping public key, or, for
        # RSA_AES_KEY_WRAP, a fresh AES-256 key under RSA-OAEP followed by the material under AES key wrap with padding.
        param($Parameters, [string] $MaterialPath, [string] $Algorithm)
        $n = ++$script:Step
        $pem = Join-Path $Work "wrapping-$n.pem"; Set-Content -LiteralPath $pem -Value $Parameters.PublicKeyPem
        $wrapped = Join-Path $Work "wrapped-$n.bin"
        $md = if ($Algorithm -like '*SHA_1') { 'sha1' } else { 'sha256' }
        if ($Algorithm -like 'RSAES_OAEP_*') {
            Invoke-OpenSsl pkeyutl -encrypt -in $MaterialPath -out $wrapped -inkey $pem -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$md" -pkeyopt "rsa_mgf1_md:$md"
        } else {
            $aes = Join-Path $Work "aes-$n.bin"; Invoke-OpenSsl rand -out $aes 32
            $hex = -join ([IO.File]::ReadAllBytes($aes) | ForEach-Object { $_.ToString('x2') })
            Invoke-OpenSsl enc -id-aes256-wrap-pad -K $hex -iv A65959A6 -in $MaterialPath -out "$wrapped.material"
            Invoke-OpenSsl pkeyutl -encrypt -in $aes -out "$wrapped.aes" -inkey $pem -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$md" -pkeyopt "rsa_mgf1_md:$md"
            [IO.File]::WriteAllBytes($wrapped, [byte[]]([IO.File]::ReadAllBytes("$wrapped.aes") + [IO.File]::ReadAllBytes("$wrapped.material")))
        }
        Get-Item -LiteralPath $wrapped
    }
    function New-Material([int] $Bytes) {
        $path = Join-Path $Work "material-$(++$script:Step).bin"
        Invoke-OpenSsl rand -out $path $Bytes
        $path
    }
    function Import-Material {
        # GetParametersForImport, the openssl wrap, ImportKeyMaterial: what a user's script does.
        param($Key, [string] $MaterialPath, [string] $Algorithm = 'RSAES_OAEP_SHA_256', [string] $Spec = 'RSA_2048', [hashtable] $Extra = @{ ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE' })
        $parameters = Get-KmsParametersForImport -KeyId $Key.KeyId -WrappingAlgorithm $Algorithm -WrappingKeySpec $Spec
        $wrapped = Protect-KeyMaterial $parameters $MaterialPath $Algorithm
        Import-KmsKeyMaterial -KeyId $Key.KeyId -ImportToken $parameters.ImportToken -EncryptedKeyMaterial $wrapped -Confirm:$false -ErrorAction Stop @Extra
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Importing key material (BYOK), by the openssl procedure AWS documents' -Skip:(-not $HasOpenSsl) {
    It 'a key of origin EXTERNAL starts without material, PendingImport' {
        $key = New-KmsKey -Origin EXTERNAL -Description 'byok'
        $key.Origin | Should -BeExactly 'EXTERNAL'
        $key.KeyState | Should -BeExactly 'PendingImport'
        $key.Enabled | Should -BeFalse
        (Get-Failure { Invoke-KmsEncrypt $key.KeyId -PlaintextString 'x' -ErrorAction Stop }).Exception.Message | Should -BeExactly "$($key.Arn) is pending import."
    }

    It 'Get-KmsParametersForImport gives an RSA wrapping key of the spec and a token valid for 24 hours' {
        $key = New-KmsKey -Origin EXTERNAL
        $parameters = Get-KmsParametersForImport $key.KeyId RSAES_OAEP_SHA_256 RSA_3072
        $parameters.KeyId | Should -BeExactly $key.Arn
        $parameters.ParametersValidTo | Should -BeGreaterThan ([datetime]::UtcNow.AddHours(23.9))
        $parameters.ParametersValidTo | Should -BeLessThan ([datetime]::UtcNow.AddHours(24.1))
        $pem = Join-Path $Work 'spec.pem'; Set-Content -LiteralPath $pem -Value $parameters.PublicKeyPem
        (& openssl pkey -pubin -in $pem -noout -text 2>&1 | Select-Object -First 1) | Should -Match '3072 bit'
        if (-not $IsWindows) { (Get-Item (Join-Path $KeysFolder "$($key.KeyId).key")).UnixMode | Should -BeExactly '-rw-------' }
    }

    It 'symmetric material wrapped with <Algorithm> (<Spec>) encrypts and decrypts' -ForEach @(
        @{ Algorithm = 'RSAES_OAEP_SHA_256'; Spec = 'RSA_2048' }
        @{ Algorithm = 'RSAES_OAEP_SHA_1'; Spec = 'RSA_4096' }
        @{ Algorithm = 'RSA_AES_KEY_WRAP_SHA_256'; Spec = 'RSA_2048' }
        @{ Algorithm = 'RSA_AES_KEY_WRAP_SHA_1'; Spec = 'RSA_3072' }
    ) {
        $key = New-KmsKey -Origin EXTERNAL
        $imported = Import-Material $key (New-Material 32) $Algorithm $Spec
        $imported.KeyId | Should -BeExactly $key.Arn
        $imported.KeyMaterialId | Should -Match '^[0-9a-f]{64}$'
        $described = Get-KmsKey $key.KeyId
        $described.KeyState | Should -BeExactly 'Enabled'
        $described.ExpirationModel | Should -BeExactly 'KEY_MATERIAL_DOES_NOT_EXPIRE'
        $described.CurrentKeyMaterialId | Should -BeExactly $imported.KeyMaterialId
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'brought my own key' -EncryptionContext @{ by = 'openssl' }
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ by = 'openssl' } -AsString | Should -BeExactly 'brought my own key'
        (New-KmsDataKey $key.KeyId -KeySpec AES_256 | Invoke-KmsDecrypt).Plaintext.Length | Should -Be 32
    }

    It 'two keys with the same material are still two keys: their blobs do not open under each other' {
        $material = New-Material 32
        $first = New-KmsKey -Origin EXTERNAL; $second = New-KmsKey -Origin EXTERNAL
        $a = Import-Material $first $material
        $b = Import-Material $second $material
        $a.KeyMaterialId | Should -Not -BeExactly $b.KeyMaterialId
        $sealed = Invoke-KmsEncrypt $first.KeyId -PlaintextString 'first'
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $second.KeyId -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'IncorrectKeyException,KmsTools.Commands.InvokeKmsDecryptCommand'
        # The blob names its key and material (bytes 3..50, docs/ciphertext-format.md) and is bound to them: renamed to
        # the other key and its material, which is the very same, it still does not open.
        $bytes = [byte[]]$sealed.CiphertextBlob.Clone()
        [Array]::Copy([Convert]::FromHexString($second.KeyId -replace '-'), 0, $bytes, 3, 16)
        [Array]::Copy([Convert]::FromHexString($b.KeyMaterialId), 0, $bytes, 19, 32)
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $bytes -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'first'
    }

    It 'HMAC material makes the MACs openssl makes with it' {
        $key = New-KmsKey -Origin EXTERNAL -KeySpec HMAC_256 -KeyUsage GENERATE_VERIFY_MAC
        $material = New-Material 48
        Import-Material $key $material | Out-Null
        $hex = -join ([IO.File]::ReadAllBytes($material) | ForEach-Object { $_.ToString('x2') })
        $message = Join-Path $Work 'message.txt'; [IO.File]::WriteAllText($message, 'mac me')
        $expected = ((& openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hex" $message) -split '= ')[-1].Trim()
        [Convert]::ToHexString((New-KmsMac $key.KeyId -MessageString 'mac me' -MacAlgorithm HMAC_SHA_256).Mac).ToLowerInvariant() | Should -BeExactly $expected
    }

    It 'an RSA private key (PKCS#8, RSA_AES_KEY_WRAP) signs what openssl verifies with its public key' {
        $private = Join-Path $Work 'rsa.pem'; $der = Join-Path $Work 'rsa.p8.der'; $public = Join-Path $Work 'rsa.pub.pem'
        Invoke-OpenSsl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $private
        Invoke-OpenSsl pkcs8 -topk8 -inform PEM -outform DER -in $private -out $der -nocrypt
        Invoke-OpenSsl pkey -in $private -pubout -out $public
        $key = New-KmsKey -Origin EXTERNAL -KeySpec RSA_2048 -KeyUsage SIGN_VERIFY
        Import-Material $key $der RSA_AES_KEY_WRAP_SHA_256 RSA_4096 | Out-Null
        (Get-KmsPublicKey $key.KeyId).PublicKeyPem.Trim() | Should -BeExactly ((Get-Content $public -Raw).Trim() -replace "`r")
        $signed = Invoke-KmsSigning $key.KeyId -MessageString 'signed by an imported key' -SigningAlgorithm RSASSA_PKCS1_V1_5_SHA_256
        $message = Join-Path $Work 'signed.txt'; [IO.File]::WriteAllText($message, 'signed by an imported key')
        $signature = Join-Path $Work 'signed.sig'; [IO.File]::WriteAllBytes($signature, $signed.Signature)
        (& openssl dgst -sha256 -verify $public -signature $signature $message) | Should -BeExactly 'Verified OK'
    }

    It 'an ECC_NIST_P256 private key fits RSAES_OAEP_SHA_256 directly' {
        $private = Join-Path $Work 'ec.pem'; $der = Join-Path $Work 'ec.p8.der'
        Invoke-OpenSsl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $private
        Invoke-OpenSsl pkcs8 -topk8 -inform PEM -outform DER -in $private -out $der -nocrypt
        $key = New-KmsKey -Origin EXTERNAL -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY
        Import-Material $key $der | Out-Null
        $signed = Invoke-KmsSigning $key.KeyId -MessageString 'ec' -SigningAlgorithm ECDSA_SHA_256
        ($signed | Test-KmsSignature -MessageString 'ec').SignatureValid | Should -BeTrue
    }

    It 'an SM2 private key (openssl genpkey -algorithm SM2) imports in a China Region and signs there' {
        $private = Join-Path $Work 'sm2.pem'; $der = Join-Path $Work 'sm2.p8.der'
        Invoke-OpenSsl genpkey -algorithm SM2 -out $private
        Invoke-OpenSsl pkcs8 -topk8 -inform PEM -outform DER -in $private -out $der -nocrypt
        $key = New-KmsKey -Origin EXTERNAL -KeySpec SM2 -KeyUsage SIGN_VERIFY -Region cn-north-1
        $parameters = Get-KmsParametersForImport $key.KeyId RSA_AES_KEY_WRAP_SHA_256 RSA_2048 -Region cn-north-1
        $parameters.KeyId | Should -BeLike 'arn:aws-cn:kms:cn-north-1:*'
        $wrapped = Protect-KeyMaterial $parameters $der RSA_AES_KEY_WRAP_SHA_256
        Import-KmsKeyMaterial $key.KeyId $parameters.ImportToken $wrapped -ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE -Region cn-north-1 -Confirm:$false | Out-Null
        $signed = Invoke-KmsSigning $key.KeyId -MessageString 'sm2' -SigningAlgorithm SM2DSA -Region cn-north-1
        ($signed | Test-KmsSignature -MessageString 'sm2' -Region cn-north-1).SignatureValid | Should -BeTrue
    }

    It 'an ML-DSA private key (PKCS#8 from BouncyCastle, as openssl 3.0 has no ML-DSA) imports and signs' {
        # The NuGet cache holds the BouncyCastle the build restored; loaded here, beside the module's own isolated copy.
        $packages = ((& dotnet nuget locals global-packages --list | Select-Object -First 1) -replace '^global-packages:\s*', '').Trim()
        $bc = [Reflection.Assembly]::LoadFrom((Join-Path $packages 'bouncycastle.cryptography/2.7.0/lib/net6.0/BouncyCastle.Cryptography.dll'))
        $generator = $bc.GetType('Org.BouncyCastle.Crypto.Generators.MLDsaKeyPairGenerator')::new()
        $generator.Init($bc.GetType('Org.BouncyCastle.Crypto.Parameters.MLDsaKeyGenerationParameters')::new(
            $bc.GetType('Org.BouncyCastle.Security.SecureRandom')::new(), $bc.GetType('Org.BouncyCastle.Crypto.Parameters.MLDsaParameters')::ml_dsa_44))
        $pair = $generator.GenerateKeyPair()
        $der = Join-Path $Work 'mldsa.p8.der'
        [IO.File]::WriteAllBytes($der, $bc.GetType('Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory')::CreatePrivateKeyInfo($pair.Private).GetEncoded())
        $spki = $bc.GetType('Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory')::CreateSubjectPublicKeyInfo($pair.Public).GetEncoded()
        $key = New-KmsKey -Origin EXTERNAL -KeySpec ML_DSA_44 -KeyUsage SIGN_VERIFY
        Import-Material $key $der RSA_AES_KEY_WRAP_SHA_256 RSA_3072 | Out-Null
        [Convert]::ToBase64String((Get-KmsPublicKey $key.KeyId).PublicKey) | Should -BeExactly ([Convert]::ToBase64String($spki))
        $signed = Invoke-KmsSigning $key.KeyId -MessageString 'post-quantum' -SigningAlgorithm ML_DSA_SHAKE_256
        ($signed | Test-KmsSignature -MessageString 'post-quantum').SignatureValid | Should -BeTrue
    }

    It 'SM2PKE with an imported SM2 key: openssl encrypts for KMS, and decrypts what KMS encrypted (issue 12)' {
        $private = Join-Path $Work 'sm2-enc.pem'; $der = Join-Path $Work 'sm2-enc.p8.der'; $public = Join-Path $Work 'sm2-enc.pub.pem'
        Invoke-OpenSsl genpkey -algorithm SM2 -out $private
        Invoke-OpenSsl pkcs8 -topk8 -inform PEM -outform DER -in $private -out $der -nocrypt
        Invoke-OpenSsl pkey -in $private -pubout -out $public
        $key = New-KmsKey -Origin EXTERNAL -KeySpec SM2 -KeyUsage ENCRYPT_DECRYPT -Region cn-north-1
        $key.EncryptionAlgorithms | Should -Be @('SM2PKE')
        $parameters = Get-KmsParametersForImport $key.KeyId RSAES_OAEP_SHA_256 RSA_2048 -Region cn-north-1
        $wrapped = Protect-KeyMaterial $parameters $der RSAES_OAEP_SHA_256
        Import-KmsKeyMaterial $key.KeyId $parameters.ImportToken $wrapped -ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE -Region cn-north-1 -Confirm:$false | Out-Null
        # openssl -> KMS
        $message = Join-Path $Work 'sm2.msg'; [IO.File]::WriteAllText($message, 'sealed by openssl')
        $sealed = Join-Path $Work 'sm2.ct'
        Invoke-OpenSsl pkeyutl -encrypt -pubin -inkey $public -in $message -out $sealed
        Invoke-KmsDecrypt -CiphertextBlob (Get-Item $sealed) -KeyId $key.KeyId -EncryptionAlgorithm SM2PKE -Region cn-north-1 -AsString | Should -BeExactly 'sealed by openssl'
        # KMS -> openssl
        $fromKms = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'sealed by KMS' -EncryptionAlgorithm SM2PKE -Region cn-north-1
        $blob = Join-Path $Work 'sm2-kms.ct'; [IO.File]::WriteAllBytes($blob, $fromKms.CiphertextBlob)
        $opened = Join-Path $Work 'sm2-kms.txt'
        Invoke-OpenSsl pkeyutl -decrypt -inkey $private -in $blob -out $opened
        [IO.File]::ReadAllText($opened) | Should -BeExactly 'sealed by KMS'
        # AWS's limit, and a ciphertext that is not one
        $failure = Get-Failure { Invoke-KmsEncrypt $key.KeyId -Plaintext ([byte[]]::new(1025)) -EncryptionAlgorithm SM2PKE -Region cn-north-1 -ErrorAction Stop }
        $failure.Exception.Message | Should -BeExactly 'Algorithm SM2PKE and key spec SM2 cannot encrypt data larger than 1024 bytes.'
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](1..64)) -KeyId $key.KeyId -EncryptionAlgorithm SM2PKE -Region cn-north-1 -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'the same material imports again (to change its expiry); other material is IncorrectKeyMaterialException' {
        $key = New-KmsKey -Origin EXTERNAL
        $material = New-Material 32
        $first = Import-Material $key $material
        $again = Import-Material $key $material -Extra @{ ValidTo = (Get-Date).AddDays(30) }
        $again.KeyMaterialId | Should -BeExactly $first.KeyMaterialId
        (Get-KmsKey $key.KeyId).ExpirationModel | Should -BeExactly 'KEY_MATERIAL_EXPIRES'
        $before = Get-StoreSnapshot
        $failure = Get-Failure { Import-Material $key (New-Material 32) }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'IncorrectKeyMaterialException,KmsTools.Commands.ImportKmsKeyMaterialCommand'
        $failure.Exception.Message | Should -Match '^The key material does not match the key material previously imported into this KMS key'
    }

    It 'Remove-KmsImportedKeyMaterial makes the key PendingImport; its blobs open again after a reimport' {
        $key = New-KmsKey -Origin EXTERNAL
        $material = New-Material 32
        Import-Material $key $material | Out-Null
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'kept'
        $removed = Remove-KmsImportedKeyMaterial $key.KeyId -Confirm:$false
        $removed.KeyId | Should -BeExactly $key.Arn
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'PendingImport'
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'KMSInvalidStateException,KmsTools.Commands.InvokeKmsDecryptCommand'
        Import-Material $key $material | Out-Null
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'kept'
    }

    It 'material whose ValidTo has passed is gone: the key is PendingImport until it is imported again' {
        $key = New-KmsKey -Origin EXTERNAL
        $material = New-Material 32
        Import-Material $key $material -Extra @{ ValidTo = (Get-Date).AddDays(1) } | Out-Null
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'until tomorrow'
        Set-TestKeyField -KeyId $key.KeyId -Name ValidTo -Value ([datetime]::UtcNow.AddMinutes(-1).ToString('o'))
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'PendingImport'
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -ErrorAction Stop }).Exception.Message | Should -BeExactly "$($key.Arn) is pending import."
        Import-Material $key $material | Out-Null
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'until tomorrow'
    }

    It 'refuses <Name> with <ErrorId>, and changes nothing' -ForEach @(
        @{ Name = 'material of the wrong length'; Bytes = 16; ErrorId = 'ValidationException'; Message = '^Key material for a SYMMETRIC_DEFAULT key is 32 bytes \(256 bits\); this is 16 bytes\.$' }
        @{ Name = 'a token of another key'; Bytes = 32; Token = 'other'; ErrorId = 'InvalidImportTokenException'; Message = '^The import token is for key arn:aws:kms:' }
        @{ Name = 'a token that is not one'; Bytes = 32; Token = 'garbage'; ErrorId = 'InvalidImportTokenException'; Message = '^The import token is not valid' }
        @{ Name = 'an expired token'; Bytes = 32; Token = 'expired'; ErrorId = 'ExpiredImportTokenException'; Message = '^The import token expired at ' }
        @{ Name = 'material that does not unwrap'; Bytes = 32; Wrapped = 'garbage'; ErrorId = 'InvalidCiphertextException'; Message = '^$' }
        @{ Name = 'no ValidTo for KEY_MATERIAL_EXPIRES (the default)'; Bytes = 32; Extra = @{}; ErrorId = 'ValidationException'; Message = '^ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES' }
        @{ Name = 'a ValidTo in the past'; Bytes = 32; Extra = @{ ValidTo = (Get-Date).AddDays(-1) }; ErrorId = 'ValidationException'; Message = 'is not in the future' }
        @{ Name = 'a ValidTo over 365 days away'; Bytes = 32; Extra = @{ ValidTo = (Get-Date).AddDays(400) }; ErrorId = 'ValidationException'; Message = 'more than 365 days from now' }
        @{ Name = 'a ValidTo with KEY_MATERIAL_DOES_NOT_EXPIRE'; Bytes = 32; Extra = @{ ValidTo = (Get-Date).AddDays(1); ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE' }; ErrorId = 'ValidationException'; Message = '^ValidTo is not valid with ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE' }
    ) {
        $key = New-KmsKey -Origin EXTERNAL
        $parameters = Get-KmsParametersForImport $key.KeyId RSAES_OAEP_SHA_256 RSA_2048
        $wrappedFile = Protect-KeyMaterial $parameters (New-Material $Bytes) RSAES_OAEP_SHA_256
        # Not $token: PowerShell's names ignore case, and $Token is this case's kind of token.
        $importToken = $parameters.ImportToken
        switch ($Token) {
            'other' { $other = New-KmsKey -Origin EXTERNAL; $importToken = (Get-KmsParametersForImport $other.KeyId RSAES_OAEP_SHA_256 RSA_2048).ImportToken }
            'garbage' { $importToken = [byte[]](1..40) }
            'expired' {
                $record = Get-Content (Join-Path $KeysFolder "$($key.KeyId).json") -Raw | ConvertFrom-Json
                $record.ImportParameters[0].ValidTo = [datetime]::UtcNow.AddMinutes(-1).ToString('o')
                $record | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $KeysFolder "$($key.KeyId).json")
            }
        }
        $material = if ($Wrapped -eq 'garbage') { [byte[]](1..256 | ForEach-Object { $_ % 256 }) } else { $wrappedFile }
        $extra = if ($null -ne $Extra) { $Extra } else { @{ ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE' } }
        $before = Get-StoreSnapshot
        $failure = Get-Failure { Import-KmsKeyMaterial $key.KeyId $importToken $material -Confirm:$false -ErrorAction Stop @extra }
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.ImportKmsKeyMaterialCommand"
        $failure.Exception.Message | Should -Match $Message
        Get-StoreSnapshot | Should -BeExactly $before
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'PendingImport'
    }

    It 'Get-KmsParametersForImport refuses <Name>' -ForEach @(
        @{ Name = 'a key KMS made the material of'; Origin = 'AWS_KMS'; Algorithm = 'RSAES_OAEP_SHA_256'; ErrorId = 'UnsupportedOperationException'; Message = 'origin is AWS_KMS which is not valid for this operation\.$' }
        @{ Name = 'RSAES_PKCS1_V1_5, which AWS retired'; Origin = 'EXTERNAL'; Algorithm = 'RSAES_PKCS1_V1_5'; ErrorId = 'ValidationException'; Message = 'no longer supported' }
        @{ Name = 'RSAES_OAEP for an RSA private key'; Origin = 'EXTERNAL'; KeySpec = 'RSA_2048'; Usage = 'SIGN_VERIFY'; Algorithm = 'RSAES_OAEP_SHA_256'; ErrorId = 'ValidationException'; Message = 'Use RSA_AES_KEY_WRAP_SHA_256' }
        @{ Name = 'an algorithm that is not one'; Origin = 'EXTERNAL'; Algorithm = 'ROT13'; ErrorId = 'ValidationException'; Message = "at 'wrappingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set" }
    ) {
        $arguments = @{ Origin = $Origin }
        if ($KeySpec) { $arguments.KeySpec = $KeySpec; $arguments.KeyUsage = $Usage }
        $key = New-KmsKey @arguments
        $failure = Get-Failure { Get-KmsParametersForImport $key.KeyId $Algorithm RSA_2048 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.GetKmsParametersForImportCommand"
        $failure.Exception.Message | Should -Match $Message
    }

    It 'imported material is not rotated: EnableKeyRotation and RotateKeyOnDemand are UnsupportedOperationException' {
        $key = New-KmsKey -Origin EXTERNAL
        Import-Material $key (New-Material 32) | Out-Null
        (Get-Failure { Enable-KmsKeyRotation $key.KeyId -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'UnsupportedOperationException,KmsTools.Commands.EnableKmsKeyRotationCommand'
        (Get-Failure { Invoke-KmsKeyRotation $key.KeyId -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'UnsupportedOperationException,KmsTools.Commands.InvokeKmsKeyRotationCommand'
    }

    It '<Command> honours -WhatIf' -ForEach @(@{ Command = 'Import-KmsKeyMaterial' }, @{ Command = 'Remove-KmsImportedKeyMaterial' }) {
        $key = New-KmsKey -Origin EXTERNAL
        $material = New-Material 32
        $arguments = if ($Command -eq 'Import-KmsKeyMaterial') {
            $parameters = Get-KmsParametersForImport $key.KeyId RSAES_OAEP_SHA_256 RSA_2048
            @{ KeyId = $key.KeyId; ImportToken = $parameters.ImportToken; EncryptedKeyMaterial = [IO.File]::ReadAllBytes((Protect-KeyMaterial $parameters $material RSAES_OAEP_SHA_256)); ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
        } else {
            Import-Material $key $material | Out-Null
            @{ KeyId = $key.KeyId }
        }
        $before = Get-StoreSnapshot
        Invoke-WhatIf $Command $arguments
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'takes its keys from the pipeline: Get-KmsKey | Get-KmsParametersForImport, and | Remove-KmsImportedKeyMaterial' {
        $keys = 1..2 | ForEach-Object { New-KmsKey -Origin EXTERNAL }
        $parameters = $keys | Get-KmsKey | Get-KmsParametersForImport -WrappingAlgorithm RSAES_OAEP_SHA_256 -WrappingKeySpec RSA_2048
        $parameters.KeyId | Should -Be $keys.Arn
        $material = New-Material 32
        foreach ($i in 0, 1) {
            $wrapped = Protect-KeyMaterial $parameters[$i] $material RSAES_OAEP_SHA_256
            Import-KmsKeyMaterial $keys[$i].KeyId $parameters[$i].ImportToken $wrapped -ExpirationModel KEY_MATERIAL_DOES_NOT_EXPIRE -Confirm:$false | Out-Null
        }
        $keys | Remove-KmsImportedKeyMaterial -Confirm:$false | Select-Object -ExpandProperty KeyId | Should -Be $keys.Arn
        ($keys.KeyId | Get-KmsKey).KeyState | Should -Be @('PendingImport', 'PendingImport')
    }

    It 'takes the ImportToken as base64 too, and the parameters by property name from a script''s object' {
        $key = New-KmsKey -Origin EXTERNAL
        $parameters = Get-KmsParametersForImport $key.KeyId RSA_AES_KEY_WRAP_SHA_256 RSA_2048
        $wrapped = Protect-KeyMaterial $parameters (New-Material 32) RSA_AES_KEY_WRAP_SHA_256
        [pscustomobject]@{ KeyId = $key.KeyId; ImportToken = $parameters.ImportTokenBase64; EncryptedKeyMaterial = [Convert]::ToBase64String([IO.File]::ReadAllBytes($wrapped)); ExpirationModel = 'KEY_MATERIAL_DOES_NOT_EXPIRE' } |
            Import-KmsKeyMaterial -Confirm:$false | Select-Object -ExpandProperty KeyId | Should -BeExactly $key.Arn
    }

    It 'the whole procedure through Start-KmsServer and the remote backend (-EndpointUrl)' {
        $server = Start-KmsServer -PassThru
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'
        try {
            $key = New-KmsKey -Origin EXTERNAL -EndpointUrl $server.Url
            $key.KeyState | Should -BeExactly 'PendingImport'
            $parameters = Get-KmsParametersForImport $key.KeyId RSA_AES_KEY_WRAP_SHA_256 RSA_2048 -EndpointUrl $server.Url
            $wrapped = Protect-KeyMaterial $parameters (New-Material 32) RSA_AES_KEY_WRAP_SHA_256
            Import-KmsKeyMaterial $key.KeyId $parameters.ImportToken $wrapped -ValidTo (Get-Date).AddDays(7) -Confirm:$false -EndpointUrl $server.Url | Out-Null
            (Get-KmsKey $key.KeyId -EndpointUrl $server.Url).ExpirationModel | Should -BeExactly 'KEY_MATERIAL_EXPIRES'
            $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'over the wire' -EndpointUrl $server.Url
            Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'over the wire'
            Remove-KmsImportedKeyMaterial $key.KeyId -Confirm:$false -EndpointUrl $server.Url | Out-Null
            (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'PendingImport'
        }
        finally {
            $server | Stop-KmsServer
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved
        }
    }
}
