# Encrypt, Decrypt and ReEncrypt with RSA ENCRYPT_DECRYPT keys (issue 12): raw OAEP, as AWS returns it, so that
# data encrypted outside KMS with the public key decrypts in KMS.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-oaep-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work -Force
    $script:Rsa = New-KmsKey -KeySpec RSA_2048 -KeyUsage ENCRYPT_DECRYPT -Description 'oaep'
    $script:Symmetric = New-KmsKey -Description 'symmetric'
    $script:PublicPem = Join-Path $Work 'rsa.pub.pem'
    (Get-KmsPublicKey -KeyId $Rsa.KeyId).PublicKeyPem | Set-Content -Path $PublicPem -NoNewline
}

AfterAll {
    Remove-Item $script:StoreHome, $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'RSA encryption keys' {
    It 'lists RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256, and no signing algorithms' {
        $Rsa.EncryptionAlgorithms | Should -Be @('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256')
        $Rsa.SigningAlgorithms | Should -BeNullOrEmpty
        (Get-KmsPublicKey -KeyId $Rsa.KeyId).EncryptionAlgorithms | Should -Be @('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256')
    }

    It 'decrypts what openssl encrypted with the public key, OAEP with <Hash>' -ForEach @(
        @{ Hash = 'sha1'; Algorithm = 'RSAES_OAEP_SHA_1' }
        @{ Hash = 'sha256'; Algorithm = 'RSAES_OAEP_SHA_256' }
    ) {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $plain = Join-Path $Work "plain-$Hash.txt"; $sealed = Join-Path $Work "sealed-$Hash.bin"
        [IO.File]::WriteAllBytes($plain, [Text.Encoding]::UTF8.GetBytes("made outside KMS with $Hash"))
        & $OpenSsl pkeyutl -encrypt -pubin -inkey $PublicPem -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$Hash" -in $plain -out $sealed
        $LASTEXITCODE | Should -Be 0
        $opened = Invoke-KmsDecrypt -CiphertextBlob (Get-Item $sealed) -KeyId $Rsa.KeyId -EncryptionAlgorithm $Algorithm
        [Text.Encoding]::UTF8.GetString($opened.Plaintext) | Should -BeExactly "made outside KMS with $Hash"
        $opened.EncryptionAlgorithm | Should -BeExactly $Algorithm
        $opened.KeyId | Should -BeExactly $Rsa.Arn
    }

    It 'tab-completes -EncryptionAlgorithm with the key''s algorithms' {
        $line = "Invoke-KmsEncrypt -KeyId $($Rsa.KeyId) -EncryptionAlgorithm "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256')
        $line = "Invoke-KmsDecrypt -KeyId $($Symmetric.KeyId) -EncryptionAlgorithm "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('SYMMETRIC_DEFAULT')
    }

    It 'encrypts to raw OAEP of the modulus length, which decrypts with the same algorithm only' {
        $sealed = Invoke-KmsEncrypt -KeyId $Rsa.KeyId -PlaintextString 'inside' -EncryptionAlgorithm RSAES_OAEP_SHA_256
        $sealed.EncryptionAlgorithm | Should -BeExactly 'RSAES_OAEP_SHA_256'
        $sealed.CiphertextBlob.Length | Should -Be 256
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $Rsa.KeyId -EncryptionAlgorithm RSAES_OAEP_SHA_256 -AsString | Should -BeExactly 'inside'
        $failure = Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $Rsa.KeyId -EncryptionAlgorithm RSAES_OAEP_SHA_1 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
    }

    It 'accepts plaintexts up to the limit of <Algorithm> with RSA_2048 (<Max> bytes) and refuses one byte more' -ForEach @(
        @{ Algorithm = 'RSAES_OAEP_SHA_1'; Max = 214 }
        @{ Algorithm = 'RSAES_OAEP_SHA_256'; Max = 190 }
    ) {
        $sealed = Invoke-KmsEncrypt -KeyId $Rsa.KeyId -Plaintext ([byte[]]::new($Max)) -EncryptionAlgorithm $Algorithm
        (Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $Rsa.KeyId -EncryptionAlgorithm $Algorithm).Plaintext.Length | Should -Be $Max
        $failure = Get-Failure { Invoke-KmsEncrypt -KeyId $Rsa.KeyId -Plaintext ([byte[]]::new($Max + 1)) -EncryptionAlgorithm $Algorithm -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.InvokeKmsEncryptCommand'
        $failure.Exception.Message | Should -BeExactly "Algorithm $Algorithm and key spec RSA_2048 cannot encrypt data larger than $Max bytes."
    }

    It 're-encrypts from RSA to a symmetric key and back' {
        $sealed = Invoke-KmsEncrypt -KeyId $Rsa.KeyId -PlaintextString 'moving' -EncryptionAlgorithm RSAES_OAEP_SHA_256
        $symmetric = Invoke-KmsReEncrypt -CiphertextBlob $sealed.CiphertextBlob -SourceKeyId $Rsa.KeyId -SourceEncryptionAlgorithm RSAES_OAEP_SHA_256 -DestinationKeyId $Symmetric.KeyId
        $symmetric.SourceEncryptionAlgorithm | Should -BeExactly 'RSAES_OAEP_SHA_256'
        $symmetric.DestinationEncryptionAlgorithm | Should -BeExactly 'SYMMETRIC_DEFAULT'
        $symmetric | Invoke-KmsDecrypt -AsString | Should -BeExactly 'moving'
        $back = Invoke-KmsReEncrypt -CiphertextBlob $symmetric.CiphertextBlob -DestinationKeyId $Rsa.KeyId -DestinationEncryptionAlgorithm RSAES_OAEP_SHA_1
        $back.DestinationEncryptionAlgorithm | Should -BeExactly 'RSAES_OAEP_SHA_1'
        Invoke-KmsDecrypt -CiphertextBlob $back.CiphertextBlob -KeyId $Rsa.KeyId -EncryptionAlgorithm RSAES_OAEP_SHA_1 -AsString | Should -BeExactly 'moving'
    }

    It 'refuses bad input with a KMS error and writes nothing: <Case>' -ForEach @(
        @{ Case = 'the default algorithm with an RSA key'; Id = 'InvalidKeyUsageException'; Message = 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.'
           Call = { Invoke-KmsEncrypt -KeyId $Rsa.KeyId -PlaintextString x -ErrorAction Stop } }
        @{ Case = 'an RSA algorithm with a symmetric key'; Id = 'InvalidKeyUsageException'; Message = 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.'
           Call = { Invoke-KmsEncrypt -KeyId $Symmetric.KeyId -PlaintextString x -EncryptionAlgorithm RSAES_OAEP_SHA_256 -ErrorAction Stop } }
        @{ Case = 'an encryption context with an asymmetric key'; Id = 'ValidationException'; Message = 'EncryptionContext is not supported with an asymmetric KMS key (RSA_2048)*'
           Call = { Invoke-KmsEncrypt -KeyId $Rsa.KeyId -PlaintextString x -EncryptionAlgorithm RSAES_OAEP_SHA_256 -EncryptionContext @{ a = 'b' } -ErrorAction Stop } }
        @{ Case = 'an asymmetric decryption without KeyId'; Id = 'ValidationException'; Message = 'KeyId is required with EncryptionAlgorithm RSAES_OAEP_SHA_256*'
           Call = { Invoke-KmsDecrypt -CiphertextBlob ([byte[]]::new(256)) -EncryptionAlgorithm RSAES_OAEP_SHA_256 -ErrorAction Stop } }
        @{ Case = 'an RSA ciphertext that is garbage'; Id = 'InvalidCiphertextException'; Message = ''
           Call = { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](0..255)) -KeyId $Rsa.KeyId -EncryptionAlgorithm RSAES_OAEP_SHA_256 -ErrorAction Stop } }
        @{ Case = 'a SIGN_VERIFY RSA key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is SIGN_VERIFY which is not valid for Encrypt.'
           Call = { Invoke-KmsEncrypt -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY).KeyId -PlaintextString x -EncryptionAlgorithm RSAES_OAEP_SHA_256 -ErrorAction Stop } }
        @{ Case = 'DryRun'; Id = 'DryRunOperationException'; Message = 'The request would have succeeded, but the DryRun option is set.'
           Call = { Invoke-KmsEncrypt -KeyId $Rsa.KeyId -PlaintextString x -EncryptionAlgorithm RSAES_OAEP_SHA_256 -DryRun -ErrorAction Stop } }
    ) {
        $before = Get-StoreSnapshot
        $failure = Get-Failure $Call
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,KmsTools.Commands.*"
        $failure.Exception.Message | Should -BeLike $Message
        if ($Case -notmatch 'SIGN_VERIFY') { Get-StoreSnapshot | Should -BeExactly $before }
    }
}

Describe 'SM2 encryption keys (China Regions)' {
    BeforeAll {
        $script:Sm2 = New-KmsKey -KeySpec SM2 -KeyUsage ENCRYPT_DECRYPT -Region cn-north-1 -Description 'sm2pke'
    }

    It 'lists SM2PKE, and encrypts and decrypts with it, ReEncrypt included' {
        $Sm2.EncryptionAlgorithms | Should -Be @('SM2PKE')
        $sealed = Invoke-KmsEncrypt $Sm2.KeyId -PlaintextString 'sm2 round trip' -EncryptionAlgorithm SM2PKE -Region cn-north-1
        $sealed.EncryptionAlgorithm | Should -BeExactly 'SM2PKE'
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $Sm2.KeyId -EncryptionAlgorithm SM2PKE -Region cn-north-1 -AsString | Should -BeExactly 'sm2 round trip'
        $symmetric = New-KmsKey -Region cn-north-1
        $moved = Invoke-KmsReEncrypt -CiphertextBlob $sealed.CiphertextBlob -SourceKeyId $Sm2.KeyId -SourceEncryptionAlgorithm SM2PKE -DestinationKeyId $symmetric.KeyId -Region cn-north-1
        Invoke-KmsDecrypt -CiphertextBlob $moved.CiphertextBlob -Region cn-north-1 -AsString | Should -BeExactly 'sm2 round trip'
    }

    It 'decrypts what openssl encrypted with the public key (GM/T 0009 DER)' {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $public = Join-Path $Work 'sm2.pub.pem'
        (Get-KmsPublicKey $Sm2.KeyId -Region cn-north-1).PublicKeyPem | Set-Content -Path $public -NoNewline
        $plain = Join-Path $Work 'sm2.txt'; $sealed = Join-Path $Work 'sm2.bin'
        [IO.File]::WriteAllText($plain, 'made outside KMS with SM2')
        & $OpenSsl pkeyutl -encrypt -pubin -inkey $public -in $plain -out $sealed 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        Invoke-KmsDecrypt -CiphertextBlob (Get-Item $sealed) -KeyId $Sm2.KeyId -EncryptionAlgorithm SM2PKE -Region cn-north-1 -AsString | Should -BeExactly 'made outside KMS with SM2'
    }

    It 'outside China Regions there is no SM2 key to use: UnsupportedOperationException' {
        { New-KmsKey -KeySpec SM2 -KeyUsage ENCRYPT_DECRYPT -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.NewKmsKeyCommand'
    }
}
