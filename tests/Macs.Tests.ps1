# GenerateMac and VerifyMac through New-KmsMac and Test-KmsMac (issue 12).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Keys = @{}
    foreach ($spec in 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512') {
        $script:Keys[$spec] = New-KmsKey -KeySpec $spec -KeyUsage GENERATE_VERIFY_MAC -Description "mac $spec"
    }
    $script:Symmetric = New-KmsKey -Description 'not for MACs'
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-KmsMac and Test-KmsMac' {
    It 'lists exactly the MAC algorithm of <Spec> in the key metadata and makes <Length>-byte MACs that verify' -ForEach @(
        @{ Spec = 'HMAC_224'; Algorithm = 'HMAC_SHA_224'; Length = 28 }
        @{ Spec = 'HMAC_256'; Algorithm = 'HMAC_SHA_256'; Length = 32 }
        @{ Spec = 'HMAC_384'; Algorithm = 'HMAC_SHA_384'; Length = 48 }
        @{ Spec = 'HMAC_512'; Algorithm = 'HMAC_SHA_512'; Length = 64 }
    ) {
        $key = $Keys[$Spec]
        $key.MacAlgorithms | Should -Be @($Algorithm)
        $key.KeyUsage | Should -BeExactly 'GENERATE_VERIFY_MAC'
        $mac = New-KmsMac -KeyId $key.KeyId -MessageString 'the message' -MacAlgorithm $Algorithm
        $mac.PSObject.TypeNames[0] | Should -BeExactly 'KmsTools.Model.GenerateMacResponse'
        $mac.KeyId | Should -BeExactly $key.Arn
        $mac.MacAlgorithm | Should -BeExactly $Algorithm
        $mac.Mac.Length | Should -Be $Length
        $mac.MacBase64 | Should -BeExactly ([Convert]::ToBase64String($mac.Mac))
        # The same message and key give the same MAC (an HMAC, not a randomized tag).
        (New-KmsMac -KeyId $key.KeyId -Message ([Text.Encoding]::UTF8.GetBytes('the message')) -MacAlgorithm $Algorithm).MacBase64 | Should -BeExactly $mac.MacBase64
        $verified = $mac | Test-KmsMac -MessageString 'the message'
        $verified.MacValid | Should -BeTrue
        $verified.KeyId | Should -BeExactly $key.Arn
        $verified.MacAlgorithm | Should -BeExactly $Algorithm
    }

    It 'takes the MAC as base64 and the message from a file, and the request from -CliInputJson' {
        $key = $Keys['HMAC_256']
        $file = Join-Path $StoreHome 'message.bin'
        [IO.File]::WriteAllBytes($file, [byte[]](0..255))
        $mac = New-KmsMac -KeyId $key.KeyId -Message (Get-Item $file) -MacAlgorithm HMAC_SHA_256
        (Test-KmsMac -KeyId $key.KeyId -Message ([byte[]](0..255)) -Mac $mac.MacBase64 -MacAlgorithm HMAC_SHA_256).MacValid | Should -BeTrue
        $json = @{ KeyId = $key.KeyId; Message = [Convert]::ToBase64String([byte[]](0..255)); MacAlgorithm = 'HMAC_SHA_256' } | ConvertTo-Json
        (New-KmsMac -CliInputJson $json).MacBase64 | Should -BeExactly $mac.MacBase64
        (New-KmsMac -KeyId $key.KeyId -Message (Get-Item $file) -MacAlgorithm HMAC_SHA_256 -Output json | ConvertFrom-Json).Mac | Should -BeExactly $mac.MacBase64
    }

    It 'refuses a wrong MAC with KMSInvalidMacException and an empty message: <Case>' -ForEach @(
        @{ Case = 'another message'; Message = 'the messagE'; Alter = { param($m) $m } }
        @{ Case = 'a truncated MAC'; Message = 'the message'; Alter = { param($m) [byte[]]$m[0..15] } }
        @{ Case = 'one bit flipped'; Message = 'the message'; Alter = { param($m) $c = [byte[]]$m.Clone(); $c[0] = $c[0] -bxor 1; $c } }
    ) {
        $key = $Keys['HMAC_512']
        $mac = New-KmsMac -KeyId $key.KeyId -MessageString 'the message' -MacAlgorithm HMAC_SHA_512
        $failure = Get-Failure { Test-KmsMac -KeyId $key.KeyId -MessageString $Message -Mac (& $Alter $mac.Mac) -MacAlgorithm HMAC_SHA_512 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInvalidMacException,KmsTools.Commands.TestKmsMacCommand'
        $failure.Exception.Message | Should -BeExactly ''
    }

    It 'refuses a MAC made by another HMAC key of the same spec' {
        $other = New-KmsKey -KeySpec HMAC_256 -KeyUsage GENERATE_VERIFY_MAC
        $mac = New-KmsMac -KeyId $other.KeyId -MessageString 'm' -MacAlgorithm HMAC_SHA_256
        { Test-KmsMac -KeyId $Keys['HMAC_256'].KeyId -MessageString 'm' -Mac $mac.Mac -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidMacException,KmsTools.Commands.TestKmsMacCommand'
    }

    It 'refuses bad input with a KMS error and writes nothing: <Case>' -ForEach @(
        @{ Case = 'an algorithm the key spec does not have'; Id = 'InvalidKeyUsageException'; Message = 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.'
           Call = { New-KmsMac -KeyId $Keys['HMAC_256'].KeyId -MessageString m -MacAlgorithm HMAC_SHA_512 -ErrorAction Stop } }
        @{ Case = 'a symmetric encryption key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.'
           Call = { New-KmsMac -KeyId $Symmetric.KeyId -MessageString m -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } }
        @{ Case = 'VerifyMac with a symmetric key'; Id = 'InvalidKeyUsageException'; Message = '* key usage is ENCRYPT_DECRYPT which is not valid for VerifyMac.'
           Call = { Test-KmsMac -KeyId $Symmetric.KeyId -MessageString m -Mac ([byte[]](1..32)) -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } }
        @{ Case = 'a 4097-byte message'; Id = 'ValidationException'; Message = "*at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096"
           Call = { New-KmsMac -KeyId $Keys['HMAC_256'].KeyId -Message ([byte[]]::new(4097)) -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } }
        @{ Case = 'an unknown algorithm'; Id = 'ValidationException'; Message = "*at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: *"
           Call = { New-KmsMac -KeyId $Keys['HMAC_256'].KeyId -MessageString m -MacAlgorithm INVALID -ErrorAction Stop } }
        @{ Case = 'a string to -Message'; Id = 'ValidationException'; Message = 'Message: a string is not taken as bytes. For text as UTF-8, use -MessageString*'
           Call = { New-KmsMac -KeyId $Keys['HMAC_256'].KeyId -Message 'c2VjcmV0' -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } }
        @{ Case = 'DryRun'; Id = 'DryRunOperationException'; Message = 'The request would have succeeded, but the DryRun option is set.'
           Call = { New-KmsMac -KeyId $Keys['HMAC_256'].KeyId -MessageString m -MacAlgorithm HMAC_SHA_256 -DryRun -ErrorAction Stop } }
        @{ Case = 'an HMAC key with a usage other than GENERATE_VERIFY_MAC'; Id = 'ValidationException'; Message = 'KeyUsage SIGN_VERIFY is not compatible with KeySpec HMAC_256'
           Call = { New-KmsKey -KeySpec HMAC_256 -KeyUsage SIGN_VERIFY -ErrorAction Stop } }
        @{ Case = 'an unknown key'; Id = 'NotFoundException'; Message = "Key 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' does not exist"
           Call = { New-KmsMac -KeyId 00000000-0000-0000-0000-000000000000 -MessageString m -MacAlgorithm HMAC_SHA_256 -ErrorAction Stop } }
    ) {
        $before = Get-StoreSnapshot
        $failure = Get-Failure $Call
        $failure.FullyQualifiedErrorId | Should -BeLike "$Id,KmsTools.Commands.*"
        $failure.Exception.Message | Should -BeLike $Message
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'refuses a disabled key with DisabledException, and one bad item does not stop the others' {
        $disabled = New-KmsKey -KeySpec HMAC_384 -KeyUsage GENERATE_VERIFY_MAC
        Disable-KmsKey -KeyId $disabled.KeyId
        $items = @(
            [pscustomobject]@{ KeyId = $disabled.KeyId; MacAlgorithm = 'HMAC_SHA_384' }
            [pscustomobject]@{ KeyId = $Keys['HMAC_384'].KeyId; MacAlgorithm = 'HMAC_SHA_384' }
        )
        $made = @($items | New-KmsMac -MessageString 'x' -ErrorAction SilentlyContinue -ErrorVariable failures)
        $made.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'DisabledException,KmsTools.Commands.NewKmsMacCommand'
    }

    It 'tab-completes only the key''s algorithm when -KeyId names an HMAC key, and every algorithm otherwise' {
        $line = "New-KmsMac -KeyId $($Keys['HMAC_384'].KeyId) -MacAlgorithm "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('HMAC_SHA_384')
        $line = 'New-KmsMac -MacAlgorithm HMAC_SHA_'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512')
    }

    It 'makes the MAC that an independent HMAC (Python''s hmac module) makes with the same key material' -Skip:(-not (Get-Command python3 -ErrorAction SilentlyContinue)) {
        # The engine's material of an HMAC key is its HMAC key: read it the way the engine does (through its own
        # assembly, in this process) and let Python compute the HMAC of the same message.
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KmsTools.Core' } | Select-Object -First 1
        $readType = $core.GetType('KmsTools.Local.KeyMaterialFile')
        $read = $readType.GetMethod('Read', [Reflection.BindingFlags]'Static,Public,NonPublic')
        foreach ($spec in 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512') {
            $key = $Keys[$spec]
            $material = $read.Invoke($null, [object[]]@([string](Join-Path $KeysFolder "$($key.KeyId).key"), $null))
            $bits = $spec.Substring(5)
            $mac = New-KmsMac -KeyId $key.KeyId -MessageString 'independent' -MacAlgorithm "HMAC_SHA_$bits"
            $python = "import hmac,hashlib,sys; print(hmac.new(bytes.fromhex(sys.argv[1]), b'independent', hashlib.sha$bits).hexdigest())"
            $expected = & python3 -c $python ([Convert]::ToHexString($material))
            [Convert]::ToHexString($mac.Mac).ToLowerInvariant() | Should -BeExactly $expected
        }
    }
}
