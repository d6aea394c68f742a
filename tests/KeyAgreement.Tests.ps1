# DeriveSharedSecret through Get-KmsSharedSecret (issue 12): ECDH that agrees with openssl on the other side.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-ecdh-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work -Force
    $script:Agreeing = @{}
    foreach ($spec in 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521') {
        $script:Agreeing[$spec] = New-KmsKey -KeySpec $spec -KeyUsage KEY_AGREEMENT -Description "ecdh $spec"
    }
}

AfterAll {
    Remove-Item $script:StoreHome, $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-KmsSharedSecret' {
    It '<Spec>: lists ECDH, and derives the secret openssl derives on the peer''s side (<Bytes> bytes)' -ForEach @(
        @{ Spec = 'ECC_NIST_P256'; Curve = 'P-256'; Bytes = 32 }
        @{ Spec = 'ECC_NIST_P384'; Curve = 'P-384'; Bytes = 48 }
        @{ Spec = 'ECC_NIST_P521'; Curve = 'P-521'; Bytes = 66 }
    ) {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $key = $Agreeing[$Spec]
        $key.KeyAgreementAlgorithms | Should -Be @('ECDH')
        $key.SigningAlgorithms | Should -BeNullOrEmpty
        $kmsPublic = Join-Path $Work "$Spec.kms.pub.pem"; $peer = Join-Path $Work "$Spec.peer.pem"; $peerPublic = Join-Path $Work "$Spec.peer.pub.pem"
        $expected = Join-Path $Work "$Spec.secret.bin"
        (Get-KmsPublicKey -KeyId $key.KeyId).PublicKeyPem | Set-Content -Path $kmsPublic -NoNewline
        & $OpenSsl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$Curve" -out $peer 2>$null
        & $OpenSsl pkey -in $peer -pubout -out $peerPublic
        & $OpenSsl pkeyutl -derive -inkey $peer -peerkey $kmsPublic -out $expected
        $LASTEXITCODE | Should -Be 0
        # The peer's key as PEM text, as DER bytes and as base64: the same secret.
        $result = Get-KmsSharedSecret -KeyId $key.KeyId -PublicKey (Get-Content $peerPublic -Raw)
        $result.PSObject.TypeNames[0] | Should -BeExactly 'KmsTools.Model.DeriveSharedSecretResponse'
        $result.KeyId | Should -BeExactly $key.Arn
        $result.KeyAgreementAlgorithm | Should -BeExactly 'ECDH'
        $result.KeyOrigin | Should -BeExactly 'AWS_KMS'
        $result.SharedSecret.Length | Should -Be $Bytes
        [Convert]::ToHexString($result.SharedSecret) | Should -BeExactly ([Convert]::ToHexString([IO.File]::ReadAllBytes($expected)))
        $der = & $OpenSsl pkey -pubin -in $peerPublic -outform DER -out (Join-Path $Work "$Spec.peer.der")
        $derBytes = [IO.File]::ReadAllBytes((Join-Path $Work "$Spec.peer.der"))
        [Convert]::ToHexString((Get-KmsSharedSecret -KeyId $key.KeyId -PublicKey $derBytes -KeyAgreementAlgorithm ECDH).SharedSecret) | Should -BeExactly ([Convert]::ToHexString($result.SharedSecret))
        [Convert]::ToHexString((Get-KmsSharedSecret -KeyId $key.KeyId -PublicKey ([Convert]::ToBase64String($derBytes))).SharedSecret) | Should -BeExactly ([Convert]::ToHexString($result.SharedSecret))
    }

    It 'agrees with itself: two KMS keys derive the same secret from each other''s public keys' {
        $a = $Agreeing['ECC_NIST_P256']; $b = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage KEY_AGREEMENT
        $ab = Get-KmsSharedSecret -KeyId $a.KeyId -PublicKey (Get-KmsPublicKey -KeyId $b.KeyId).PublicKey
        $ba = Get-KmsSharedSecret -KeyId $b.KeyId -PublicKey (Get-KmsPublicKey -KeyId $a.KeyId).PublicKey
        [Convert]::ToBase64String($ab.SharedSecret) | Should -BeExactly ([Convert]::ToBase64String($ba.SharedSecret))
    }

    It 'SM2 (China Regions): lists ECDH and derives the secret OpenSSL''s EC layer derives on the peer''s side' {
        $peerScript = Join-Path (Split-Path $PSScriptRoot -Parent) 'out/interop/sm2-ecdh.mjs'
        if (-not (Get-Command node -CommandType Application -ErrorAction SilentlyContinue) -or -not (Test-Path $peerScript)) {
            Set-ItResult -Skipped -Because 'the SM2 peer needs node (Debian: apt-get install nodejs) and build.ps1 -Task Test, which copies tests/interop into out/interop'; return
        }
        $key = New-KmsKey -KeySpec SM2 -KeyUsage KEY_AGREEMENT -Region cn-north-1
        $key.KeyAgreementAlgorithms | Should -Be @('ECDH')
        $key.Arn | Should -BeLike 'arn:aws-cn:kms:cn-north-1:*'
        $spki = Join-Path $Work 'sm2.kms.der'
        [IO.File]::WriteAllBytes($spki, (Get-KmsPublicKey -KeyId $key.KeyId -Region cn-north-1).PublicKey)
        $peer = & node $peerScript $spki | ConvertFrom-Json
        $result = Get-KmsSharedSecret -KeyId $key.KeyId -PublicKey $peer.peerPublicKey -Region cn-north-1
        $result.SharedSecret.Length | Should -Be 32
        [Convert]::ToHexString($result.SharedSecret) | Should -BeExactly $peer.secret
        # A NIST P-256 peer key is another curve: refused as AWS refuses it, with nothing derived.
        $failure = Get-Failure { Get-KmsSharedSecret -KeyId $key.KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P256'].KeyId).PublicKey -Region cn-north-1 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.GetKmsSharedSecretCommand'
    }

    It 'refuses bad input with a KMS error: <Case>' -ForEach @(
        @{ Case = 'a peer key of another curve'; Id = 'ValidationException'; Message = ''
           Call = { Get-KmsSharedSecret -KeyId $Agreeing['ECC_NIST_P256'].KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P384'].KeyId).PublicKey -ErrorAction Stop } }
        @{ Case = 'garbage as a peer key'; Id = 'ValidationException'; Message = ''
           Call = { Get-KmsSharedSecret -KeyId $Agreeing['ECC_NIST_P256'].KeyId -PublicKey ([byte[]](1..64)) -ErrorAction Stop } }
        @{ Case = 'PEM text without a public key'; Id = 'ValidationException'; Message = 'PublicKey: the PEM text holds no valid*'
           Call = { Get-KmsSharedSecret -KeyId $Agreeing['ECC_NIST_P256'].KeyId -PublicKey "-----BEGIN CERTIFICATE-----`nAAAA`n-----END CERTIFICATE-----" -ErrorAction Stop } }
        @{ Case = 'a SIGN_VERIFY key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.'
           Call = { Get-KmsSharedSecret -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY).KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P256'].KeyId).PublicKey -ErrorAction Stop } }
        @{ Case = 'a symmetric key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.'
           Call = { Get-KmsSharedSecret -KeyId (New-KmsKey).KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P256'].KeyId).PublicKey -ErrorAction Stop } }
        @{ Case = 'an unknown algorithm'; Id = 'ValidationException'; Message = '*at ''keyAgreementAlgorithm'' failed to satisfy constraint: Member must satisfy enum value set: `[ECDH`]'
           Call = { Get-KmsSharedSecret -KeyId $Agreeing['ECC_NIST_P256'].KeyId -PublicKey ([byte[]](1..64)) -KeyAgreementAlgorithm DH -ErrorAction Stop } }
        @{ Case = 'DryRun'; Id = 'DryRunOperationException'; Message = 'The request would have succeeded, but the DryRun option is set.'
           Call = { Get-KmsSharedSecret -KeyId $Agreeing['ECC_NIST_P256'].KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P256'].KeyId).PublicKey -DryRun -ErrorAction Stop } }
    ) {
        $failure = Get-Failure $Call
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,KmsTools.Commands.GetKmsSharedSecretCommand"
        $failure.Exception.Message | Should -BeLike $Message
    }

    It 'shows the shared secret''s length only, in every view' {
        $a = $Agreeing['ECC_NIST_P256']
        $result = Get-KmsSharedSecret -KeyId $a.KeyId -PublicKey (Get-KmsPublicKey -KeyId $Agreeing['ECC_NIST_P256'].KeyId).PublicKey
        $base64 = [Convert]::ToBase64String($result.SharedSecret)
        foreach ($text in ($result | Out-String), ($result | Format-Table | Out-String), ($result | Format-List * | Out-String -Width 300)) {
            $text | Should -Not -Match ([regex]::Escape($base64.Substring(0, 16)))
        }
        ($result | Out-String) | Should -Match 'SharedSecret\s+: 32 bytes \(hidden'
    }
}
