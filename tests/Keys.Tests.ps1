BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The key store location' {
    It 'is $env:KMSTOOLS_HOME, never the user store' {
        $key = New-KmsKey -Description 'location'
        Test-Path (Join-Path $KeysFolder "$($key.KeyId).json") | Should -BeTrue
        Test-Path (Join-Path $KeysFolder "$($key.KeyId).key") | Should -BeTrue
    }

    It 'keeps key material owner-only' -Skip:$IsWindows {
        $key = New-KmsKey -Description 'permissions'
        (Get-Item (Join-Path $KeysFolder "$($key.KeyId).key")).UnixMode | Should -BeExactly '-rw-------'
        (Get-Item $KeysFolder).UnixMode | Should -BeExactly 'drwx------'
    }
}

Describe 'New-KmsKey and Get-KmsKey' {
    It 'creates a symmetric encryption key by default and describes it by id, ARN and alias' {
        $key = New-KmsKey -Description 'default key'
        $key.KeySpec | Should -BeExactly 'SYMMETRIC_DEFAULT'
        $key.KeyUsage | Should -BeExactly 'ENCRYPT_DECRYPT'
        $key.KeyState | Should -BeExactly 'Enabled'
        $key.Arn | Should -BeExactly "arn:aws:kms:us-east-1:111122223333:key/$($key.KeyId)"
        New-KmsAlias -AliasName 'alias/describe-me' -TargetKeyId $key.Arn
        foreach ($id in $key.KeyId, $key.Arn, 'alias/describe-me') {
            (Get-KmsKey -KeyId $id).KeyId | Should -BeExactly $key.KeyId
        }
    }

    It 'creates asymmetric and HMAC keys with their algorithms' {
        (New-KmsKey -KeySpec RSA_2048 -KeyUsage ENCRYPT_DECRYPT).EncryptionAlgorithms | Should -Be @('RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256')
        (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY).SigningAlgorithms | Should -Be @('ECDSA_SHA_256')
        (New-KmsKey -KeySpec HMAC_256 -KeyUsage GENERATE_VERIFY_MAC).MacAlgorithms | Should -Be @('HMAC_SHA_256')
    }

    It 'lists every key of the region when no KeyId is given' {
        $before = @(Get-KmsKey).Count
        1..3 | ForEach-Object { New-KmsKey -Description "listed $_" } | Out-Null
        @(Get-KmsKey).Count | Should -Be ($before + 3)
        @(Get-KmsKey -Region eu-west-1).Count | Should -Be 0
    }

    It 'honours -WhatIf' {
        $before = @(Get-KmsKey).Count
        Invoke-WhatIf New-KmsKey @{ Description = 'what if' }
        @(Get-KmsKey).Count | Should -Be $before
    }

    It 'rejects an asymmetric spec without KeyUsage with ValidationException' {
        { New-KmsKey -KeySpec RSA_2048 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.NewKmsKeyCommand' -ExpectedMessage 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.'
    }

    It 'shows a readable table' {
        $key = New-KmsKey -Description 'table view'
        $text = $key | Out-String -Width 160
        $text | Should -Match 'KeyId\s+KeyState\s+KeySpec\s+KeyUsage'
        $text | Should -Match "$($key.KeyId)\s+Enabled\s+SYMMETRIC_DEFAULT\s+ENCRYPT_DECRYPT"
    }
}

Describe 'New-KmsAlias and Get-KmsAlias' {
    BeforeAll { $script:Target = New-KmsKey -Description 'alias target' }

    It 'creates an alias that Get-KmsAlias lists, filtered by key' {
        New-KmsAlias -AliasName 'alias/listed' -TargetKeyId $Target.KeyId
        $alias = Get-KmsAlias -KeyId $Target.KeyId
        $alias.AliasName | Should -BeExactly 'alias/listed'
        $alias.AliasArn | Should -BeExactly 'arn:aws:kms:us-east-1:111122223333:alias/listed'
        $alias.TargetKeyId | Should -BeExactly $Target.KeyId
    }

    It '-PassThru returns the alias' {
        (New-KmsAlias -AliasName 'alias/passthru' -TargetKeyId $Target.KeyId -PassThru).AliasName | Should -BeExactly 'alias/passthru'
    }

    It 'refuses a second alias of the same name with AlreadyExistsException and keeps the first' {
        $other = New-KmsKey -Description 'other'
        New-KmsAlias -AliasName 'alias/unique' -TargetKeyId $Target.KeyId
        { New-KmsAlias -AliasName 'alias/unique' -TargetKeyId $other.KeyId -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlreadyExistsException,KmsTools.Commands.NewKmsAliasCommand' -ExpectedMessage 'An alias with the name arn:aws:kms:us-east-1:111122223333:alias/unique already exists'
        (Get-KmsKey -KeyId alias/unique).KeyId | Should -BeExactly $Target.KeyId
    }

    It 'rejects <AliasName> with <ErrorId>' -ForEach @(
        @{ AliasName = 'no-prefix'; ErrorId = 'ValidationException' }
        @{ AliasName = 'alias/bad name'; ErrorId = 'ValidationException' }
        @{ AliasName = 'alias/aws/reserved'; ErrorId = 'InvalidAliasNameException' }
        @{ AliasName = ('alias/' + 'a' * 251); ErrorId = 'ValidationException' }
    ) {
        { New-KmsAlias -AliasName $AliasName -TargetKeyId $Target.KeyId -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,KmsTools.Commands.NewKmsAliasCommand"
    }

    It 'honours -WhatIf' {
        Invoke-WhatIf New-KmsAlias @{ AliasName = 'alias/whatif'; TargetKeyId = $Target.KeyId }
        Get-KmsAlias | Where-Object AliasName -eq 'alias/whatif' | Should -BeNullOrEmpty
    }
}
