# Sign and Verify through Invoke-KmsSigning and Test-KmsSignature (issue 12): every signing spec and algorithm,
# checked by openssl with the public key from Get-KmsPublicKey.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-signing-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work -Force
    $script:MessageFile = Join-Path $Work 'message.txt'
    [IO.File]::WriteAllBytes($MessageFile, [Text.Encoding]::UTF8.GetBytes('a message to sign, é'))
    # One key per spec, made once: RSA generation is slow.
    $script:SigningKeys = @{}
    foreach ($spec in 'RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519') {
        $script:SigningKeys[$spec] = New-KmsKey -KeySpec $spec -KeyUsage SIGN_VERIFY -Description "signing $spec"
    }
    $script:Sm2 = New-KmsKey -KeySpec SM2 -KeyUsage SIGN_VERIFY -Region cn-north-1
    function Save-PublicKey($Key, [string] $Region = 'us-east-1') {
        $path = Join-Path $Work "$($Key.KeyId).pub.pem"
        (Get-KmsPublicKey -KeyId $Key.KeyId -Region $Region).PublicKeyPem | Set-Content -Path $path -NoNewline
        $path
    }
    function Save-Signature($Result) {
        $path = Join-Path $Work ([guid]::NewGuid().ToString('N') + '.sig')
        [IO.File]::WriteAllBytes($path, $Result.Signature)
        $path
    }
}

AfterAll {
    Remove-Item $script:StoreHome, $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-KmsSigning and Test-KmsSignature' {
    It 'lists the signing algorithms AWS lists for <Spec>' -ForEach @(
        @{ Spec = 'RSA_2048'; Algorithms = 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512' }
        @{ Spec = 'ECC_NIST_P256'; Algorithms = @('ECDSA_SHA_256') }
        @{ Spec = 'ECC_NIST_P384'; Algorithms = @('ECDSA_SHA_384') }
        @{ Spec = 'ECC_NIST_P521'; Algorithms = @('ECDSA_SHA_512') }
        @{ Spec = 'ECC_SECG_P256K1'; Algorithms = @('ECDSA_SHA_256') }
        @{ Spec = 'ECC_NIST_EDWARDS25519'; Algorithms = 'ED25519_SHA_512', 'ED25519_PH_SHA_512' }
    ) {
        $SigningKeys[$Spec].SigningAlgorithms | Should -Be $Algorithms
        (Get-KmsPublicKey -KeyId $SigningKeys[$Spec].KeyId).SigningAlgorithms | Should -Be $Algorithms
    }

    It '<Spec> <Algorithm>: the signature verifies with openssl, of the message (RAW) and of its digest (DIGEST)' -ForEach @(
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PSS_SHA_256'; Hash = 'sha256'; Pss = $true }
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PSS_SHA_384'; Hash = 'sha384'; Pss = $true }
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PSS_SHA_512'; Hash = 'sha512'; Pss = $true }
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PKCS1_V1_5_SHA_256'; Hash = 'sha256'; Pss = $false }
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PKCS1_V1_5_SHA_384'; Hash = 'sha384'; Pss = $false }
        @{ Spec = 'RSA_2048'; Algorithm = 'RSASSA_PKCS1_V1_5_SHA_512'; Hash = 'sha512'; Pss = $false }
        @{ Spec = 'ECC_NIST_P256'; Algorithm = 'ECDSA_SHA_256'; Hash = 'sha256'; Pss = $false }
        @{ Spec = 'ECC_NIST_P384'; Algorithm = 'ECDSA_SHA_384'; Hash = 'sha384'; Pss = $false }
        @{ Spec = 'ECC_NIST_P521'; Algorithm = 'ECDSA_SHA_512'; Hash = 'sha512'; Pss = $false }
        @{ Spec = 'ECC_SECG_P256K1'; Algorithm = 'ECDSA_SHA_256'; Hash = 'sha256'; Pss = $false }
    ) {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $key = $SigningKeys[$Spec]
        $public = Save-PublicKey $key
        $options = if ($Pss) { @('-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest') } else { @() }
        $raw = Invoke-KmsSigning -KeyId $key.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm $Algorithm
        $raw.KeyId | Should -BeExactly $key.Arn
        $raw.SigningAlgorithm | Should -BeExactly $Algorithm
        & $OpenSsl dgst "-$Hash" @options -verify $public -signature (Save-Signature $raw) $MessageFile 2>&1 | Should -BeExactly 'Verified OK'
        # DIGEST: the caller hashes, KMS signs the hash; the result is a signature of the message all the same.
        $digest = & $OpenSsl dgst "-$Hash" -binary -out (Join-Path $Work "digest-$Hash.bin") $MessageFile
        $digest = [IO.File]::ReadAllBytes((Join-Path $Work "digest-$Hash.bin"))
        $signed = Invoke-KmsSigning -KeyId $key.KeyId -Message $digest -MessageType DIGEST -SigningAlgorithm $Algorithm
        & $OpenSsl dgst "-$Hash" @options -verify $public -signature (Save-Signature $signed) $MessageFile 2>&1 | Should -BeExactly 'Verified OK'
        ($raw | Test-KmsSignature -Message (Get-Item $MessageFile)).SignatureValid | Should -BeTrue
        (Test-KmsSignature -KeyId $key.KeyId -Message $digest -MessageType DIGEST -Signature $signed.SignatureBase64 -SigningAlgorithm $Algorithm).SignatureValid | Should -BeTrue
    }

    It 'takes the request from -CliInputJson and prints what the aws CLI prints with -Output' {
        $key = $SigningKeys['ECC_NIST_EDWARDS25519']
        $json = @{ KeyId = $key.KeyId; Message = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('cli')); SigningAlgorithm = 'ED25519_SHA_512' } | ConvertTo-Json
        $signed = Invoke-KmsSigning -CliInputJson $json
        # Ed25519 is deterministic: the same request signs to the same bytes.
        $signed.SignatureBase64 | Should -BeExactly (Invoke-KmsSigning -KeyId $key.KeyId -MessageString 'cli' -SigningAlgorithm ED25519_SHA_512).SignatureBase64
        $printed = Invoke-KmsSigning -CliInputJson $json -Output json | Out-String | ConvertFrom-Json
        @($printed.PSObject.Properties.Name) | Should -Be @('KeyId', 'Signature', 'SigningAlgorithm')
        $printed.Signature | Should -BeExactly $signed.SignatureBase64
        Test-KmsSignature -KeyId $key.KeyId -MessageString 'cli' -Signature $signed.Signature -SigningAlgorithm ED25519_SHA_512 -Output text | Should -BeExactly "$($key.Arn)`tTrue`tED25519_SHA_512"
    }

    It 'ECDSA signatures are DER, as AWS returns them' {
        $signature = (Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -MessageString 'der' -SigningAlgorithm ECDSA_SHA_256).Signature
        $signature[0] | Should -Be 0x30
        $signature[1] | Should -Be ($signature.Length - 2)
    }

    It 'ED25519_SHA_512 verifies with openssl; ED25519_PH_SHA_512 of the SHA-512 digest is the RAW signature of the message' {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $key = $SigningKeys['ECC_NIST_EDWARDS25519']
        $raw = Invoke-KmsSigning -KeyId $key.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm ED25519_SHA_512
        $raw.Signature.Length | Should -Be 64
        & $OpenSsl pkeyutl -verify -pubin -inkey (Save-PublicKey $key) -rawin -in $MessageFile -sigfile (Save-Signature $raw) 2>&1 | Should -BeExactly 'Signature Verified Successfully'
        $ph = Invoke-KmsSigning -KeyId $key.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm ED25519_PH_SHA_512
        $digest = [Security.Cryptography.SHA512]::HashData([IO.File]::ReadAllBytes($MessageFile))
        $phDigest = Invoke-KmsSigning -KeyId $key.KeyId -Message $digest -MessageType DIGEST -SigningAlgorithm ED25519_PH_SHA_512
        # Ed25519 is deterministic, and Ed25519ph signs SHA-512(M): both paths give the same 64 bytes.
        $phDigest.SignatureBase64 | Should -BeExactly $ph.SignatureBase64
        $ph.SignatureBase64 | Should -Not -BeExactly $raw.SignatureBase64
        ($ph | Test-KmsSignature -Message (Get-Item $MessageFile)).SignatureValid | Should -BeTrue
        (Test-KmsSignature -KeyId $key.KeyId -Message $digest -MessageType DIGEST -Signature $ph.Signature -SigningAlgorithm ED25519_PH_SHA_512).SignatureValid | Should -BeTrue
    }

    It 'SM2DSA in a China Region verifies with openssl (SM3, the default distinguishing id)' {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        $signed = Invoke-KmsSigning -KeyId $Sm2.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm SM2DSA -Region cn-north-1
        $public = Save-PublicKey $Sm2 -Region cn-north-1
        & $OpenSsl dgst -sm3 -verify $public -signature (Save-Signature $signed) -sigopt distid:1234567812345678 $MessageFile 2>&1 | Should -BeExactly 'Verified OK'
        ($signed | Test-KmsSignature -Message (Get-Item $MessageFile) -Region cn-north-1).SignatureValid | Should -BeTrue
    }

    It 'SM2DSA of a DIGEST: SM3(Z(A) || M), computed outside KMS with openssl, signs as the message itself does' {
        if (-not $OpenSsl) { Set-ItResult -Skipped -Because 'openssl is not on PATH (Debian: apt-get install openssl)'; return }
        # Z(A) = SM3(ENTL || ID || a || b || x(G) || y(G) || x(A) || y(A)), GB/T 32918.2 with the default id.
        $curve = 'FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC' + '28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93' +
            '32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7' + 'BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0'
        $spki = (Get-KmsPublicKey -KeyId $Sm2.KeyId -Region cn-north-1).PublicKey
        $zInput = Join-Path $Work 'sm2-z.bin'; $z = Join-Path $Work 'sm2-z.sm3'; $eInput = Join-Path $Work 'sm2-e.bin'; $e = Join-Path $Work 'sm2-e.sm3'
        [IO.File]::WriteAllBytes($zInput, [byte[]](@(0x00, 0x80) + [Text.Encoding]::ASCII.GetBytes('1234567812345678') + [Convert]::FromHexString($curve) + $spki[-64..-1]))
        & $OpenSsl dgst -sm3 -binary -out $z $zInput
        [IO.File]::WriteAllBytes($eInput, [byte[]]([IO.File]::ReadAllBytes($z) + [IO.File]::ReadAllBytes($MessageFile)))
        & $OpenSsl dgst -sm3 -binary -out $e $eInput
        $digest = [IO.File]::ReadAllBytes($e)
        $signed = Invoke-KmsSigning -KeyId $Sm2.KeyId -Message $digest -MessageType DIGEST -SigningAlgorithm SM2DSA -Region cn-north-1
        $public = Save-PublicKey $Sm2 -Region cn-north-1
        & $OpenSsl dgst -sm3 -verify $public -signature (Save-Signature $signed) -sigopt distid:1234567812345678 $MessageFile 2>&1 | Should -BeExactly 'Verified OK'
        ($signed | Test-KmsSignature -Message (Get-Item $MessageFile) -Region cn-north-1).SignatureValid | Should -BeTrue
        $raw = Invoke-KmsSigning -KeyId $Sm2.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm SM2DSA -Region cn-north-1
        (Test-KmsSignature -KeyId $Sm2.KeyId -Message $digest -MessageType DIGEST -Signature $raw.Signature -SigningAlgorithm SM2DSA -Region cn-north-1).SignatureValid | Should -BeTrue
        $digest[0] = $digest[0] -bxor 1
        { Test-KmsSignature -KeyId $Sm2.KeyId -Message $digest -MessageType DIGEST -Signature $raw.Signature -SigningAlgorithm SM2DSA -Region cn-north-1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidSignatureException,KmsTools.Commands.TestKmsSignatureCommand'
        { Invoke-KmsSigning -KeyId $Sm2.KeyId -Message ([byte[]]::new(31)) -MessageType DIGEST -SigningAlgorithm SM2DSA -Region cn-north-1 -ErrorAction Stop } |
            Should -Throw 'Digest is invalid length for algorithm SM2DSA.' -ErrorId 'ValidationException,KmsTools.Commands.InvokeKmsSigningCommand'
    }

    It 'refuses a signature that does not verify with KMSInvalidSignatureException and an empty message: <Case>' -ForEach @(
        @{ Case = 'another message'; Alter = { param($r) @{ Signature = $r.Signature; MessageString = 'another message' } } }
        @{ Case = 'a flipped byte'; Alter = { param($r) $s = [byte[]]$r.Signature.Clone(); $s[10] = $s[10] -bxor 0x40; @{ Signature = $s; MessageString = 'the message' } } }
        @{ Case = 'garbage'; Alter = { param($r) @{ Signature = [byte[]](1..20); MessageString = 'the message' } } }
        @{ Case = 'a signature of another key'; Alter = { param($r) @{ Signature = (Invoke-KmsSigning -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY).KeyId -MessageString 'the message' -SigningAlgorithm ECDSA_SHA_256).Signature; MessageString = 'the message' } } }
    ) {
        $key = $SigningKeys['ECC_NIST_P256']
        $signed = Invoke-KmsSigning -KeyId $key.KeyId -MessageString 'the message' -SigningAlgorithm ECDSA_SHA_256
        $changed = & $Alter $signed
        $failure = Get-Failure { Test-KmsSignature -KeyId $key.KeyId @changed -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInvalidSignatureException,KmsTools.Commands.TestKmsSignatureCommand'
        $failure.Exception.Message | Should -BeExactly ''
    }

    It 'refuses bad input with a KMS error and writes nothing: <Case>' -ForEach @(
        @{ Case = 'an algorithm the key spec does not support'; Id = 'InvalidKeyUsageException'; Message = 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -MessageString m -SigningAlgorithm ECDSA_SHA_384 -ErrorAction Stop } }
        @{ Case = 'DIGEST of the wrong length'; Id = 'ValidationException'; Message = 'Digest is invalid length for algorithm ECDSA_SHA_256.'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -Message ([byte[]]::new(48)) -MessageType DIGEST -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
        @{ Case = 'DIGEST of the wrong length for RSA PSS'; Id = 'ValidationException'; Message = 'Digest is invalid length for algorithm RSASSA_PSS_SHA_512.'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['RSA_2048'].KeyId -Message ([byte[]]::new(32)) -MessageType DIGEST -SigningAlgorithm RSASSA_PSS_SHA_512 -ErrorAction Stop } }
        @{ Case = 'DIGEST with ED25519_SHA_512'; Id = 'ValidationException'; Message = 'MessageType DIGEST is not valid for ED25519_SHA_512*'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_EDWARDS25519'].KeyId -Message ([byte[]]::new(64)) -MessageType DIGEST -SigningAlgorithm ED25519_SHA_512 -ErrorAction Stop } }
        @{ Case = 'EXTERNAL_MU with a key that is not ML-DSA'; Id = 'ValidationException'; Message = 'MessageType EXTERNAL_MU is valid only with*'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -Message ([byte[]]::new(64)) -MessageType EXTERNAL_MU -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
        @{ Case = 'a 4097-byte message'; Id = 'ValidationException'; Message = "*at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096"
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -Message ([byte[]]::new(4097)) -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
        @{ Case = 'a symmetric encryption key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is ENCRYPT_DECRYPT which is not valid for Sign.'
           Call = { Invoke-KmsSigning -KeyId (New-KmsKey).KeyId -MessageString m -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
        @{ Case = 'a KEY_AGREEMENT key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is KEY_AGREEMENT which is not valid for Verify.'
           Call = { Test-KmsSignature -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage KEY_AGREEMENT).KeyId -MessageString m -Signature ([byte[]](1..8)) -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
        @{ Case = 'an unknown signing algorithm'; Id = 'ValidationException'; Message = "*at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: *"
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -MessageString m -SigningAlgorithm ECDSA_SHA_1 -ErrorAction Stop } }
        @{ Case = 'DryRun'; Id = 'DryRunOperationException'; Message = 'The request would have succeeded, but the DryRun option is set.'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -MessageString m -SigningAlgorithm ECDSA_SHA_256 -DryRun -ErrorAction Stop } }
        @{ Case = 'a string to -Message'; Id = 'ValidationException'; Message = 'Message: a string is not taken as bytes*'
           Call = { Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_P256'].KeyId -Message 'text' -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
    ) {
        $before = Get-StoreSnapshot
        $failure = Get-Failure $Call
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,KmsTools.Commands.*"
        $failure.Exception.Message | Should -BeLike $Message
        if ($Case -notmatch 'symmetric|KEY_AGREEMENT') { Get-StoreSnapshot | Should -BeExactly $before }
    }

    It 'tab-completes only the key''s signing algorithms when -KeyId names a signing key' {
        $line = "Invoke-KmsSigning -KeyId $($SigningKeys['ECC_NIST_EDWARDS25519'].KeyId) -SigningAlgorithm "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('ED25519_SHA_512', 'ED25519_PH_SHA_512')
        $line = 'Invoke-KmsSigning -MessageType '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('RAW', 'DIGEST', 'EXTERNAL_MU')
        # -MessageType offers what the key's algorithms (or the one given) take.
        $line = "Invoke-KmsSigning -KeyId $($SigningKeys['ECC_NIST_P256'].KeyId) -MessageType "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('RAW', 'DIGEST')
        $line = "Invoke-KmsSigning -KeyId $($SigningKeys['ECC_NIST_EDWARDS25519'].KeyId) -SigningAlgorithm ED25519_SHA_512 -MessageType "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('RAW')
        $mlDsa = New-KmsKey -KeySpec ML_DSA_44 -KeyUsage SIGN_VERIFY
        $line = "Test-KmsSignature -KeyId $($mlDsa.KeyId) -MessageType "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('RAW', 'EXTERNAL_MU')
    }

    It 'signs a pipeline of messages, one bad item not stopping the others, and survives Export-Clixml' {
        $key = $SigningKeys['ECC_NIST_P256']
        $results = @('one', 'two', 'three' | Invoke-KmsSigning -KeyId $key.KeyId -SigningAlgorithm ECDSA_SHA_256)
        $results.Count | Should -Be 3
        $file = Join-Path $Work 'signature.clixml'
        $results[1] | Export-Clixml $file
        (Import-Clixml $file | Test-KmsSignature -MessageString 'two').SignatureValid | Should -BeTrue
        $items = @(
            [pscustomobject]@{ KeyId = $key.KeyId; SigningAlgorithm = 'ECDSA_SHA_512' }
            [pscustomobject]@{ KeyId = $key.KeyId; SigningAlgorithm = 'ECDSA_SHA_256' }
        )
        $made = @($items | Invoke-KmsSigning -MessageString 'x' -ErrorAction SilentlyContinue -ErrorVariable failures)
        $made.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidKeyUsageException,KmsTools.Commands.InvokeKmsSigningCommand'
    }
}

Describe 'ML-DSA keys' {
    BeforeAll {
        $script:Verifier = Join-Path (Split-Path $PSScriptRoot -Parent) 'out/interop/mldsa-verify.mjs'
        $script:HasVerifier = (Test-Path (Join-Path (Split-Path $PSScriptRoot -Parent) 'out/interop/node_modules/@noble/post-quantum')) -and
            [bool](Get-Command node -CommandType Application -ErrorAction SilentlyContinue)
    }

    It '<Spec>: SIGN_VERIFY only, ML_DSA_SHAKE_256, the SubjectPublicKeyInfo of FIPS 204''s OID, and signatures an independent ML-DSA verifies' -ForEach @(
        @{ Spec = 'ML_DSA_44'; Oid = '2.16.840.1.101.3.4.3.17'; PublicBytes = 1312; SignatureBytes = 2420 }
        @{ Spec = 'ML_DSA_65'; Oid = '2.16.840.1.101.3.4.3.18'; PublicBytes = 1952; SignatureBytes = 3309 }
        @{ Spec = 'ML_DSA_87'; Oid = '2.16.840.1.101.3.4.3.19'; PublicBytes = 2592; SignatureBytes = 4627 }
    ) {
        $key = New-KmsKey -KeySpec $Spec -KeyUsage SIGN_VERIFY
        $key.SigningAlgorithms | Should -Be @('ML_DSA_SHAKE_256')
        $public = Get-KmsPublicKey -KeyId $key.KeyId
        $public.KeySpec | Should -BeExactly $Spec
        # SEQUENCE { SEQUENCE { OID }, BIT STRING }: the OID's DER (06 09 60 86 48 01 65 03 04 03 xx) and the raw key at the end.
        $oidLast = [byte]($Oid.Split('.')[-1])
        [Convert]::ToHexString($public.PublicKey, 4, 13) | Should -BeExactly ('300B06096086480165030403' + $oidLast.ToString('X2'))
        $public.PublicKey.Length | Should -Be ($PublicBytes + 22)
        $signed = Invoke-KmsSigning -KeyId $key.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm ML_DSA_SHAKE_256
        $signed.Signature.Length | Should -Be $SignatureBytes
        ($signed | Test-KmsSignature -Message (Get-Item $MessageFile)).SignatureValid | Should -BeTrue
        { $signed | Test-KmsSignature -MessageString 'another' -ErrorAction Stop } | Should -Throw -ErrorId 'KMSInvalidSignatureException,KmsTools.Commands.TestKmsSignatureCommand'
        if (-not $HasVerifier) { Set-ItResult -Skipped -Because 'the independent verifier needs node and the npm peers (build.ps1 -Task Test installs @noble/post-quantum into out/interop)'; return }
        $spki = Join-Path $Work "$Spec.spki.der"; [IO.File]::WriteAllBytes($spki, $public.PublicKey)
        $signature = Save-Signature $signed
        & node $Verifier $Spec $spki $MessageFile $signature | Should -BeExactly 'valid'
        $other = Join-Path $Work 'other-message.txt'; [IO.File]::WriteAllText($other, 'not the message')
        & node $Verifier $Spec $spki $other $signature | Should -BeExactly 'invalid'
    }

    It '<Spec> EXTERNAL_MU: a mu computed outside KMS (node''s SHAKE256) signs as the message does, by an independent verifier' -ForEach @(
        @{ Spec = 'ML_DSA_44'; SignatureBytes = 2420 }
        @{ Spec = 'ML_DSA_65'; SignatureBytes = 3309 }
        @{ Spec = 'ML_DSA_87'; SignatureBytes = 4627 }
    ) {
        if (-not $HasVerifier) { Set-ItResult -Skipped -Because 'computing mu and the independent verifier need node and the npm peers (build.ps1 -Task Test installs them into out/interop)'; return }
        $key = New-KmsKey -KeySpec $Spec -KeyUsage SIGN_VERIFY
        $spki = Join-Path $Work "$Spec.mu.spki.der"; [IO.File]::WriteAllBytes($spki, (Get-KmsPublicKey -KeyId $key.KeyId).PublicKey)
        $muFile = Join-Path $Work "$Spec.mu"
        & node (Join-Path (Split-Path $Verifier -Parent) 'mldsa-mu.mjs') $Spec $spki $MessageFile $muFile
        $mu = [IO.File]::ReadAllBytes($muFile)
        $mu.Length | Should -Be 64
        $signed = Invoke-KmsSigning -KeyId $key.KeyId -Message $mu -MessageType EXTERNAL_MU -SigningAlgorithm ML_DSA_SHAKE_256
        $signed.Signature.Length | Should -Be $SignatureBytes
        & node $Verifier $Spec $spki $MessageFile (Save-Signature $signed) | Should -BeExactly 'valid'
        ($signed | Test-KmsSignature -Message (Get-Item $MessageFile)).SignatureValid | Should -BeTrue
        $raw = Invoke-KmsSigning -KeyId $key.KeyId -Message (Get-Item $MessageFile) -SigningAlgorithm ML_DSA_SHAKE_256
        (Test-KmsSignature -KeyId $key.KeyId -Message $mu -MessageType EXTERNAL_MU -Signature $raw.Signature -SigningAlgorithm ML_DSA_SHAKE_256).SignatureValid | Should -BeTrue
        $mu[63] = $mu[63] -bxor 1
        { Test-KmsSignature -KeyId $key.KeyId -Message $mu -MessageType EXTERNAL_MU -Signature $raw.Signature -SigningAlgorithm ML_DSA_SHAKE_256 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidSignatureException,KmsTools.Commands.TestKmsSignatureCommand'
    }

    It 'shows a long signature shortened in the default view, and whole in SignatureBase64' {
        $script:MlDsa = if ($script:MlDsa) { $script:MlDsa } else { New-KmsKey -KeySpec ML_DSA_65 -KeyUsage SIGN_VERIFY }
        $signed = Invoke-KmsSigning -KeyId $MlDsa.KeyId -MessageString 'view' -SigningAlgorithm ML_DSA_SHAKE_256
        $shown = $signed | Out-String -Width 200
        $shown | Should -Match ([regex]::Escape($signed.SignatureBase64.Substring(0, 40)) + '\.\.\. \(3309 bytes; read the SignatureBase64 property\)')
        $shown | Should -Not -Match ([regex]::Escape($signed.SignatureBase64.Substring(100, 40)))
        $short = Invoke-KmsSigning -KeyId $SigningKeys['ECC_NIST_EDWARDS25519'].KeyId -MessageString 'view' -SigningAlgorithm ED25519_SHA_512
        ($short | Out-String -Width 200) | Should -Match ([regex]::Escape($short.SignatureBase64))
    }

    It 'refuses what ML-DSA keys do not do: <Case>' -ForEach @(
        @{ Case = 'a usage other than SIGN_VERIFY'; Id = 'ValidationException'; Message = 'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ML_DSA_65'
           Call = { New-KmsKey -KeySpec ML_DSA_65 -KeyUsage ENCRYPT_DECRYPT -ErrorAction Stop } }
        @{ Case = 'DIGEST'; Id = 'ValidationException'; Message = 'MessageType DIGEST is not valid for ML_DSA_SHAKE_256*'
           Call = { Invoke-KmsSigning -KeyId $MlDsa.KeyId -Message ([byte[]]::new(64)) -MessageType DIGEST -SigningAlgorithm ML_DSA_SHAKE_256 -ErrorAction Stop } }
        @{ Case = 'a mu that is not 64 bytes'; Id = 'ValidationException'; Message = 'An EXTERNAL_MU message is the 64-byte mu of FIPS 204; this one has 32 bytes.'
           Call = { Invoke-KmsSigning -KeyId $MlDsa.KeyId -Message ([byte[]]::new(32)) -MessageType EXTERNAL_MU -SigningAlgorithm ML_DSA_SHAKE_256 -ErrorAction Stop } }
        @{ Case = 'an ECDSA algorithm'; Id = 'InvalidKeyUsageException'; Message = 'Algorithm ECDSA_SHA_256 is incompatible with key spec ML_DSA_65.'
           Call = { Invoke-KmsSigning -KeyId $MlDsa.KeyId -MessageString m -SigningAlgorithm ECDSA_SHA_256 -ErrorAction Stop } }
    ) {
        $script:MlDsa = if ($script:MlDsa) { $script:MlDsa } else { New-KmsKey -KeySpec ML_DSA_65 -KeyUsage SIGN_VERIFY }
        $failure = Get-Failure $Call
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,KmsTools.Commands.*"
        $failure.Exception.Message | Should -BeLike $Message
    }
}
