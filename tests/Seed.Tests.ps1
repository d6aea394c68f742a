# Seed files: the same key ids and material on every run (local-kms's YAML format, or the same as JSON), through
# Import-KmsKeyStoreSeed and Start-KmsServer -Seed. The keys are made by openssl, so the checks are independent.
BeforeDiscovery {
    $script:HasOpenSsl = [bool](Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue)
    if ($env:CI -and -not $HasOpenSsl) { throw 'openssl is missing: CI must run the seed tests.' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Work = New-Item -ItemType Directory -Path (Join-Path $StoreHome 'seed-work') -Force
    $script:AesId = '0b1c2d3e-1111-4222-8333-444455556666'
    $script:RsaId = '0b1c2d3e-2222-4222-8333-444455556666'
    $script:EccId = '0b1c2d3e-3333-4222-8333-444455556666'
    function Indent([string] $Path) { (Get-Content $Path | ForEach-Object { "          $_" }) -join "`n" }
    function New-SeedYaml([string[]] $BackingKeys, [string] $AesKeyId = $AesId) {
        @"
Keys:
  Symmetric:
    Aes:
      - Metadata:
          KeyId: $AesKeyId
          Description: seeded aes
        BackingKeys:
$(($BackingKeys | ForEach-Object { "          - $_" }) -join "`n")
  Asymmetric:
    Rsa:
      - Metadata:
          KeyId: $RsaId
          KeyUsage: ENCRYPT_DECRYPT
        PrivateKeyPem: |
$(Indent (Join-Path $Work 'rsa.pem'))
    Ecc:
      - Metadata:
          KeyId: $EccId
          KeyUsage: SIGN_VERIFY
          Description: ECC key on secp256r1
        PrivateKeyPem: |
$(Indent (Join-Path $Work 'ec.pem'))
Aliases:
  - AliasName: alias/seeded
    TargetKeyId: $AesKeyId
"@
    }
    if (Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue) {
        & openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out (Join-Path $Work 'rsa.pem') 2>$null
        # SEC1 ("EC PRIVATE KEY"), as local-kms's own examples have it.
        & openssl ecparam -genkey -name prime256v1 -noout -out (Join-Path $Work 'ec.pem')
        $script:Backing = 1..2 | ForEach-Object { (& openssl rand -hex 32) }
        $script:SeedFile = Join-Path $Work 'seed.yaml'
        Set-Content $SeedFile (New-SeedYaml $Backing)
    }
}

AfterAll {
    Get-KmsServer | Stop-KmsServer
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-KmsKeyStoreSeed' -Skip:(-not $HasOpenSsl) {
    It 'creates the keys with their ids, specs and material, and the aliases' {
        $result = Import-KmsKeyStoreSeed $SeedFile
        $result.KeysCreated | Should -Be @($AesId, $RsaId, $EccId)
        $result.AliasesCreated | Should -Be @('alias/seeded')
        (Get-KmsKey -KeyId alias/seeded).KeyId | Should -BeExactly $AesId
        (Get-KmsKey -KeyId $AesId).Description | Should -BeExactly 'seeded aes'
        (Get-KmsKey -KeyId $RsaId).KeySpec | Should -BeExactly 'RSA_2048'
        (Get-KmsKey -KeyId $RsaId).KeyUsage | Should -BeExactly 'ENCRYPT_DECRYPT'
        (Get-KmsKey -KeyId $EccId).KeySpec | Should -BeExactly 'ECC_NIST_P256'
        @(Get-KmsKeyRotation -KeyId $AesId).Count | Should -Be 1 -Because 'the second backing key is the first one rotated'
    }

    It 'keeps the asymmetric keys openssl made: the public keys are openssl''s, and a signature verifies with openssl' {
        $expected = Join-Path $Work 'ec.pub.der'
        & openssl pkey -in (Join-Path $Work 'ec.pem') -pubout -outform DER -out $expected
        (Get-KmsPublicKey -KeyId $EccId).PublicKey | Should -Be ([IO.File]::ReadAllBytes($expected))
        $message = Join-Path $Work 'message.txt'; Set-Content $message 'seeded' -NoNewline
        $signature = Join-Path $Work 'message.sig'
        [IO.File]::WriteAllBytes($signature, (Invoke-KmsSigning -KeyId $EccId -Message ([IO.File]::ReadAllBytes($message)) -SigningAlgorithm ECDSA_SHA_256).Signature)
        & openssl dgst -sha256 -prverify (Join-Path $Work 'ec.pem') -signature $signature $message | Should -BeExactly 'Verified OK'
        $rsaPublic = Join-Path $Work 'rsa.pub.der'
        & openssl pkey -in (Join-Path $Work 'rsa.pem') -pubout -outform DER -out $rsaPublic
        (Get-KmsPublicKey -KeyId $RsaId).PublicKey | Should -Be ([IO.File]::ReadAllBytes($rsaPublic))
    }

    It 'gives the same material on every run: a blob made in one store opens in another store seeded from the same file' {
        $blob = Invoke-KmsEncrypt -KeyId alias/seeded -PlaintextString 'same on every run' -EncryptionContext @{ run = 'one' }
        $other = Join-Path $StoreHome 'second-store'
        $saved = $env:KMSTOOLS_HOME
        try {
            $env:KMSTOOLS_HOME = $other
            $null = Import-KmsKeyStoreSeed $SeedFile
            ($blob | Invoke-KmsDecrypt -EncryptionContext @{ run = 'one' } -AsString) | Should -BeExactly 'same on every run'
        }
        finally { $env:KMSTOOLS_HOME = $saved }
    }

    It 'changes nothing when seeded again' {
        $before = Get-StoreSnapshot
        $result = Import-KmsKeyStoreSeed $SeedFile
        $result.KeysCreated | Should -BeNullOrEmpty
        $result.KeysPresent | Should -Be @($AesId, $RsaId, $EccId)
        $result.AliasesPresent | Should -Be @('alias/seeded')
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'refuses a seed that conflicts with the store, naming the key, and writes nothing' {
        $newKey = '0b1c2d3e-9999-4222-8333-444455556666'
        # A new key first, then the conflicting one: the new one must not be written either.
        $conflict = Join-Path $Work 'conflict.yaml'
        Set-Content $conflict "Keys:`n  Symmetric:`n    Aes:`n      - Metadata:`n          KeyId: $newKey`n        BackingKeys:`n          - $((& openssl rand -hex 32))`n      - Metadata:`n          KeyId: $AesId`n        BackingKeys:`n          - $((& openssl rand -hex 32))`n"
        $before = Get-StoreSnapshot
        $failure = Get-Failure { Import-KmsKeyStoreSeed $conflict -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.ImportKmsKeyStoreSeedCommand'
        $failure.Exception.Message | Should -BeExactly "The seed cannot be imported: Keys.Symmetric.Aes[1]: the store has a key $AesId with other key material; remove it from the seed or give the seed's key another id. Nothing was imported."
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'says where a seed file is wrong' -ForEach @(
        @{ Text = "Keys:`n  Symmetric:`n    Aes:`n      - Metadata:`n          KeyId: not-a-uuid`n        BackingKeys: [00]"; Why = "Keys.Symmetric.Aes[0].Metadata.KeyId 'not-a-uuid' is not a key id (a lowercase UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab)" }
        @{ Text = "Keys:`n  Symmetric:`n    Aes:`n      - Metadata:`n          KeyId: 0b1c2d3e-7777-4222-8333-444455556666`n        BackingKeys: [abcd]"; Why = 'Keys.Symmetric.Aes[0].BackingKeys[0] is not 64 hex digits (a 256-bit key)' }
        @{ Text = "Keys: [1, 2"; Why = 'it is not YAML or JSON: ' }
        @{ Text = "Secrets: {}"; Why = "'Secrets' is not a section of a seed file (Keys, Aliases)" }
    ) {
        $file = Join-Path $Work 'bad.yaml'
        Set-Content $file $Text
        $failure = Get-Failure { Import-KmsKeyStoreSeed $file -ErrorAction Stop }
        # Everything the message says up to the parser's own words, which follow a "not YAML" reason.
        $failure.Exception.Message | Should -BeLike (([WildcardPattern]::Escape("The seed file bad.yaml cannot be imported: $Why")) + '*Nothing was imported.')
    }

    It 'reads the same content as JSON' {
        $json = Join-Path $Work 'seed.json'
        $id = '0b1c2d3e-4444-4222-8333-444455556666'
        @{ Keys = @{ Symmetric = @{ Aes = @(@{ Metadata = @{ KeyId = $id; Description = 'from json' }; BackingKeys = @((& openssl rand -hex 32)) }) } }; Aliases = @(@{ AliasName = 'alias/json'; TargetKeyId = $id }) } |
            ConvertTo-Json -Depth 6 | Set-Content $json
        (Import-KmsKeyStoreSeed $json).KeysCreated | Should -Be @($id)
        (Get-KmsKey -KeyId alias/json).Description | Should -BeExactly 'from json'
    }
}

Describe 'Start-KmsServer -Seed' -Skip:(-not $HasOpenSsl) {
    It 'seeds the store before it serves, so clients find the fixed ids' {
        $home2 = Join-Path $StoreHome 'server-store'
        $saved = $env:KMSTOOLS_HOME
        try {
            $env:KMSTOOLS_HOME = $home2
            # The information stream (what it says at the prompt) captured, so that it does not print among test results.
            $streams = Start-KmsServer -Seed $SeedFile -PassThru 6>&1
            $server = $streams | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] }
            "$($streams | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })" | Should -BeLike '*: 3 keys and 1 aliases created, 0 keys and 0 aliases already there.*'
            (Get-KmsKey -KeyId alias/seeded -EndpointUrl $server.Url -NoSignRequest).KeyId | Should -BeExactly $AesId
        }
        finally { $env:KMSTOOLS_HOME = $saved; Get-KmsServer | Stop-KmsServer }
    }
}
