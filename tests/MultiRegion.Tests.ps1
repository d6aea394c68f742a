BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    function Get-Failure {
        param([scriptblock] $Attempt)
        try { & $Attempt; $null } catch { $_ }
    }
    function Get-KeyFile([string] $KeyId, [string] $Region) { Join-Path $StoreHome "store-v1/111122223333/$Region/keys/$KeyId.json" }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Multi-Region keys' {
    It 'New-KmsKey -MultiRegion makes a primary key with an mrk- id' {
        $key = New-KmsKey -MultiRegion -Description 'primary'
        $key.KeyId | Should -Match '^mrk-[0-9a-f]{32}$'
        $key.MultiRegion | Should -BeTrue
        $key.MultiRegionConfiguration.MultiRegionKeyType | Should -BeExactly 'PRIMARY'
        $key.MultiRegionConfiguration.PrimaryKey.Arn | Should -BeExactly $key.Arn
        $key.MultiRegionConfiguration.PrimaryKey.Region | Should -BeExactly 'us-east-1'
        @($key.MultiRegionConfiguration.ReplicaKeys).Count | Should -Be 0
        (New-KmsKey).MultiRegion | Should -BeFalse
    }

    It 'a replica shares key id and material: a blob of either region opens in the other' {
        $key = New-KmsKey -MultiRegion
        $replica = New-KmsReplicateKey $key.KeyId eu-west-1 -Description 'replica' -Tag @{ team = 'eu' } -Confirm:$false
        $replica.KeyId | Should -BeExactly $key.KeyId
        $replica.Arn | Should -BeExactly "arn:aws:kms:eu-west-1:111122223333:key/$($key.KeyId)"
        $replica.Description | Should -BeExactly 'replica'
        $replica.MultiRegionConfiguration.MultiRegionKeyType | Should -BeExactly 'REPLICA'
        $replica.MultiRegionConfiguration.PrimaryKey.Region | Should -BeExactly 'us-east-1'
        (Get-KmsResourceTag $key.KeyId -Region eu-west-1).TagKey | Should -Be @('team')
        @(Get-KmsResourceTag $key.KeyId).Count | Should -Be 0 -Because 'tags are each member''s own'
        $primary = Get-KmsKey $key.KeyId
        $primary.MultiRegionConfiguration.ReplicaKeys.Region | Should -Be @('eu-west-1')
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'from us-east-1' -EncryptionContext @{ at = 'home' }
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ at = 'home' } -Region eu-west-1 -AsString | Should -BeExactly 'from us-east-1'
        $back = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'from eu-west-1' -Region eu-west-1
        Invoke-KmsDecrypt -CiphertextBlob $back.CiphertextBlob -AsString | Should -BeExactly 'from eu-west-1'
        $pair = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 -Region eu-west-1
        (Invoke-KmsDecrypt -CiphertextBlob $pair.PrivateKeyCiphertextBlob).KeyId | Should -BeExactly $key.Arn
    }

    It 'rotation is the primary''s and reaches the replicas; a replica refuses to rotate itself' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId us-west-2 -Confirm:$false | Out-Null
        Invoke-KmsKeyRotation $key.KeyId -Confirm:$false | Out-Null
        Enable-KmsKeyRotation $key.KeyId -RotationPeriodInDays 180
        $status = Get-KmsKeyRotationStatus $key.KeyId -Region us-west-2
        $status.KeyRotationEnabled | Should -BeTrue
        $status.RotationPeriodInDays | Should -Be 180
        (Get-KmsKey $key.KeyId -Region us-west-2).CurrentKeyMaterialId | Should -BeExactly (Get-KmsKey $key.KeyId).CurrentKeyMaterialId
        @(Get-KmsKeyRotation $key.KeyId -Region us-west-2).Count | Should -Be 1
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'after rotation'
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -Region us-west-2 -AsString | Should -BeExactly 'after rotation'
        $failure = Get-Failure { Invoke-KmsKeyRotation $key.KeyId -Region us-west-2 -Confirm:$false -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'UnsupportedOperationException,KmsTools.Commands.InvokeKmsKeyRotationCommand'
        $failure.Exception.Message | Should -BeLike '*is a multi-Region replica key; its rotation is managed on the primary key in us-east-1.'
    }

    It 'refuses <Name> with <ErrorId>, and changes nothing' -ForEach @(
        @{ Name = 'a key that is not multi-Region'; Multi = $false; Region = 'eu-west-1'; ErrorId = 'UnsupportedOperationException'; Message = 'is not a multi-Region key' }
        @{ Name = 'the key''s own region'; Multi = $true; Region = 'us-east-1'; ErrorId = 'ValidationException'; Message = 'is the region of the key itself' }
        @{ Name = 'a region of another partition'; Multi = $true; Region = 'cn-north-1'; ErrorId = 'ValidationException'; Message = 'another AWS partition' }
        @{ Name = 'a region that is not one'; Multi = $true; Region = 'mars-1'; ErrorId = 'ValidationException'; Message = "'mars-1' is not a region name" }
        @{ Name = 'a second replica in one region'; Multi = $true; Region = 'eu-central-1'; Twice = $true; ErrorId = 'AlreadyExistsException'; Message = 'as the key already exists there$' }
    ) {
        $key = if ($Multi) { New-KmsKey -MultiRegion } else { New-KmsKey }
        if ($Twice) { New-KmsReplicateKey $key.KeyId $Region -Confirm:$false | Out-Null }
        $before = Get-StoreSnapshot
        $failure = Get-Failure { New-KmsReplicateKey $key.KeyId $Region -Confirm:$false -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.NewKmsReplicateKeyCommand"
        $failure.Exception.Message | Should -Match $Message
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'a replica cannot be replicated: replication is the primary''s' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId eu-north-1 -Confirm:$false | Out-Null
        (Get-Failure { New-KmsReplicateKey $key.KeyId eu-south-1 -Region eu-north-1 -Confirm:$false -ErrorAction Stop }).Exception.Message |
            Should -BeLike '*is a multi-Region replica key; its replication is managed on the primary key in us-east-1.'
    }

    It 'Update-KmsPrimaryRegion swaps primary and replica in every member' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId eu-west-2 -Confirm:$false | Out-Null
        New-KmsReplicateKey $key.KeyId ca-central-1 -Confirm:$false | Out-Null
        $after = Update-KmsPrimaryRegion $key.KeyId eu-west-2 -PassThru -Confirm:$false
        $after.MultiRegionConfiguration.MultiRegionKeyType | Should -BeExactly 'REPLICA'
        foreach ($region in 'us-east-1', 'eu-west-2', 'ca-central-1') {
            $member = Get-KmsKey $key.KeyId -Region $region
            $member.MultiRegionConfiguration.PrimaryKey.Region | Should -BeExactly 'eu-west-2'
            ($member.MultiRegionConfiguration.ReplicaKeys.Region | Sort-Object) | Should -Be @('ca-central-1', 'us-east-1')
        }
        (Get-KmsKey $key.KeyId -Region eu-west-2).MultiRegionConfiguration.MultiRegionKeyType | Should -BeExactly 'PRIMARY'
        (Get-Failure { Update-KmsPrimaryRegion $key.KeyId ca-central-1 -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'UnsupportedOperationException,KmsTools.Commands.UpdateKmsPrimaryRegionCommand' -Because 'us-east-1 is a replica now'
        (Get-Failure { Update-KmsPrimaryRegion $key.KeyId ap-south-1 -Region eu-west-2 -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'NotFoundException,KmsTools.Commands.UpdateKmsPrimaryRegionCommand'
    }

    It 'a primary with replicas waits for them (PendingReplicaDeletion), then its own waiting period starts' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId sa-east-1 -Confirm:$false | Out-Null
        $scheduled = Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false
        $scheduled.KeyState | Should -BeExactly 'PendingReplicaDeletion'
        $scheduled.DeletionDate | Should -BeNullOrEmpty
        (Get-Failure { Invoke-KmsEncrypt $key.KeyId -PlaintextString 'x' -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'KMSInvalidStateException,KmsTools.Commands.InvokeKmsEncryptCommand'
        Request-KmsKeyDeletion $key.KeyId -Region sa-east-1 -PendingWindowInDays 7 -Confirm:$false | Out-Null
        Set-TestKeyField -KeyId $key.KeyId -Region sa-east-1 -Name DeletionDate -Value ([datetime]::UtcNow.AddMinutes(-1).ToString('o'))
        (Get-Failure { Get-KmsKey $key.KeyId -Region sa-east-1 -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
        $primary = Get-KmsKey $key.KeyId
        $primary.KeyState | Should -BeExactly 'PendingDeletion'
        $primary.DeletionDate | Should -BeGreaterThan ([datetime]::UtcNow.AddDays(6.9))
        @($primary.MultiRegionConfiguration.ReplicaKeys).Count | Should -Be 0
    }

    It 'CancelKeyDeletion takes a primary out of PendingReplicaDeletion' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId ap-northeast-1 -Confirm:$false | Out-Null
        Request-KmsKeyDeletion $key.KeyId -Confirm:$false | Out-Null
        Stop-KmsKeyDeletion $key.KeyId | Out-Null
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'Disabled'
    }

    It 'takes its keys from the pipeline: Get-KmsKey | New-KmsReplicateKey | Get-KmsKeyLastUsage' {
        $keys = 1..2 | ForEach-Object { New-KmsKey -MultiRegion -Description "piped $_" }
        $replicas = $keys | New-KmsReplicateKey -ReplicaRegion af-south-1 -Confirm:$false
        $replicas.KeyId | Should -Be $keys.KeyId
        ($keys.KeyId | Get-KmsKey | Get-KmsKeyLastUsage).KeyId | Should -Be $keys.Arn
        $keys | Update-KmsPrimaryRegion -PrimaryRegion af-south-1 -Confirm:$false
        ($keys.KeyId | Get-KmsKey -Region af-south-1).MultiRegionConfiguration.MultiRegionKeyType | Should -Be @('PRIMARY', 'PRIMARY')
    }

    It 'New-KmsReplicateKey and Update-KmsPrimaryRegion honour -WhatIf' {
        $key = New-KmsKey -MultiRegion
        $before = Get-StoreSnapshot
        Invoke-WhatIf New-KmsReplicateKey @{ KeyId = $key.KeyId; ReplicaRegion = 'eu-west-3' }
        Get-StoreSnapshot | Should -BeExactly $before
        New-KmsReplicateKey $key.KeyId eu-west-3 -Confirm:$false | Out-Null
        $before = Get-StoreSnapshot
        Invoke-WhatIf Update-KmsPrimaryRegion @{ KeyId = $key.KeyId; PrimaryRegion = 'eu-west-3' }
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It 'is served by Start-KmsServer: the remote backend replicates and reads the configuration' {
        $server = Start-KmsServer -PassThru
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'
        try {
            $key = New-KmsKey -MultiRegion -EndpointUrl $server.Url
            $replica = New-KmsReplicateKey $key.KeyId us-east-2 -Confirm:$false -EndpointUrl $server.Url
            $replica.MultiRegionConfiguration.MultiRegionKeyType | Should -BeExactly 'REPLICA'
            $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'wire' -EndpointUrl $server.Url
            Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -Region us-east-2 -EndpointUrl $server.Url -AsString | Should -BeExactly 'wire'
            $usage = Get-KmsKeyLastUsage $key.KeyId -EndpointUrl $server.Url
            $usage.KeyId | Should -BeExactly $key.Arn
        }
        finally {
            $server | Stop-KmsServer
            $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved
        }
    }
}

Describe 'Get-KmsKeyLastUsage' {
    It 'a new key has no use since its tracking started at its creation' {
        $key = New-KmsKey
        $usage = Get-KmsKeyLastUsage $key.KeyId
        $usage.KeyId | Should -BeExactly $key.Arn
        $usage.KeyLastUsage | Should -BeNullOrEmpty
        $usage.TrackingStartDate | Should -Be $usage.KeyCreationDate
        ($usage | Format-List | Out-String) | Should -Match 'LastOperation\s+: \(none since tracking began\)'
    }

    It 'reports the last successful operation, written once when the pipeline ends' {
        $key = New-KmsKey
        $before = Get-Date
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'used'
        (Get-KmsKeyLastUsage $key.KeyId).KeyLastUsage.Operation | Should -BeExactly 'Encrypt'
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob | Out-Null
        $usage = (Get-KmsKeyLastUsage $key.KeyId).KeyLastUsage
        $usage.Operation | Should -BeExactly 'Decrypt'
        $usage.Timestamp | Should -BeGreaterOrEqual $before.ToUniversalTime().AddSeconds(-1)
        $usage.KmsRequestId | Should -Match '^[0-9a-f-]{36}$'
        # A failed operation is no use.
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ wrong = 'context' } -ErrorAction SilentlyContinue
        (Get-KmsKeyLastUsage $key.KeyId).KeyLastUsage.KmsRequestId | Should -BeExactly $usage.KmsRequestId
    }

    It 'a hundred calls of one pipeline write nothing while it runs, and the last use when it ends' {
        $key = New-KmsKey
        $file = Join-Path $KeysFolder "$($key.KeyId).usage"
        $seenDuring = 0
        1..100 | ForEach-Object { "secret $_" } | Invoke-KmsEncrypt -KeyId $key.KeyId | ForEach-Object { if (Test-Path $file) { $seenDuring++ } }
        $seenDuring | Should -Be 0 -Because 'uses are noted in memory while the pipeline runs (100 calls take well under the 5-second flush interval)'
        Test-Path $file | Should -BeTrue
        (Get-KmsKeyLastUsage $key.KeyId).KeyLastUsage.Operation | Should -BeExactly 'Encrypt'
    }

    It 'every member of a multi-Region set tracks its own use' {
        $key = New-KmsKey -MultiRegion
        New-KmsReplicateKey $key.KeyId eu-west-1 -Confirm:$false | Out-Null
        Invoke-KmsEncrypt $key.KeyId -PlaintextString 'here' | Out-Null
        (Get-KmsKeyLastUsage $key.KeyId).KeyLastUsage.Operation | Should -BeExactly 'Encrypt'
        (Get-KmsKeyLastUsage $key.KeyId -Region eu-west-1).KeyLastUsage | Should -BeNullOrEmpty
    }
}
