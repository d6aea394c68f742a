BeforeDiscovery {
    $script:HasOpenSsl = [bool](Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    function New-TestKey { New-KmsKey -Description ($args -join ' ') }
    function Get-FailureId { param([scriptblock] $Command) try { & $Command; $null } catch { $_.FullyQualifiedErrorId } }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Update-KmsKeyDescription' {
    It 'replaces the description, from the pipeline too' {
        $key = New-TestKey 'before'
        Update-KmsKeyDescription -KeyId $key.KeyId -Description 'after'
        (Get-KmsKey $key.KeyId).Description | Should -BeExactly 'after'
        [pscustomobject]@{ KeyId = $key.Arn; Description = 'piped' } | Update-KmsKeyDescription
        (Get-KmsKey $key.KeyId).Description | Should -BeExactly 'piped'
    }

    It 'honours -WhatIf' {
        $key = New-TestKey 'unchanged'
        Invoke-WhatIf Update-KmsKeyDescription @{ KeyId = $key.KeyId; Description = 'changed' }
        (Get-KmsKey $key.KeyId).Description | Should -BeExactly 'unchanged'
    }
}

Describe 'Enable-KmsKey and Disable-KmsKey' {
    It 'disables and enables, by pipeline' {
        $keys = 1..2 | ForEach-Object { New-TestKey "toggle $_" }
        $keys | Disable-KmsKey
        $keys | Get-KmsKey | ForEach-Object { $_.KeyState | Should -BeExactly 'Disabled'; $_.Enabled | Should -BeFalse }
        $keys.KeyId | Enable-KmsKey
        $keys | Get-KmsKey | ForEach-Object { $_.KeyState | Should -BeExactly 'Enabled'; $_.Enabled | Should -BeTrue }
    }

    It 'honours -WhatIf' {
        $key = New-TestKey 'whatif'
        Invoke-WhatIf Disable-KmsKey @{ KeyId = $key.KeyId }
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'Enabled'
    }

    It 'refuses a key pending deletion with KMSInvalidStateException' {
        $key = New-TestKey 'deleting'
        Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-Null
        { Enable-KmsKey $key.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'KMSInvalidStateException,KmsTools.Commands.EnableKmsKeyCommand' -ExpectedMessage "$($key.Arn) is pending deletion."
    }
}

Describe 'Request-KmsKeyDeletion and Stop-KmsKeyDeletion' {
    It 'schedules deletion: PendingDeletion, DeletionDate in PendingWindowInDays days' {
        $key = New-TestKey 'schedule'
        $result = Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false
        $result.KeyId | Should -BeExactly $key.Arn
        $result.KeyState | Should -BeExactly 'PendingDeletion'
        $result.PendingWindowInDays | Should -Be 7
        ($result.DeletionDate - [datetime]::UtcNow).TotalDays | Should -BeGreaterThan 6.9
        $described = Get-KmsKey $key.KeyId
        $described.KeyState | Should -BeExactly 'PendingDeletion'
        $described.Enabled | Should -BeFalse
        $described.DeletionDate | Should -Not -BeNullOrEmpty
    }

    It 'defaults to 30 days' {
        (Request-KmsKeyDeletion (New-TestKey 'default window').KeyId -Confirm:$false).PendingWindowInDays | Should -Be 30
    }

    It 'rejects a window of <_> days with ValidationException' -ForEach @(6, 31) {
        $key = New-TestKey 'window'
        { Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays $_ -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.RequestKmsKeyDeletionCommand'
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'Enabled'
    }

    It 'asks for confirmation (ConfirmImpact High) and -WhatIf changes nothing' {
        (Get-Command Request-KmsKeyDeletion).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
        $key = New-TestKey 'whatif delete'
        Invoke-WhatIf Request-KmsKeyDeletion @{ KeyId = $key.KeyId }
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'Enabled'
    }

    It 'refuses a second schedule with KMSInvalidStateException' {
        $key = New-TestKey 'twice'
        Request-KmsKeyDeletion $key.KeyId -Confirm:$false | Out-Null
        { Request-KmsKeyDeletion $key.KeyId -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'KMSInvalidStateException,KmsTools.Commands.RequestKmsKeyDeletionCommand'
    }

    It 'cancels to Disabled, as KMS does' {
        $key = New-TestKey 'cancel'
        Request-KmsKeyDeletion $key.KeyId -Confirm:$false | Out-Null
        (Stop-KmsKeyDeletion $key.KeyId).KeyId | Should -BeExactly $key.Arn
        $described = Get-KmsKey $key.KeyId
        $described.KeyState | Should -BeExactly 'Disabled'
        $described.DeletionDate | Should -BeNullOrEmpty
        { Stop-KmsKeyDeletion $key.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'KMSInvalidStateException,KmsTools.Commands.StopKmsKeyDeletionCommand' -ExpectedMessage "$($key.Arn) is not pending deletion."
    }

    It 'deletes the key, its material and its aliases once the date has passed' {
        $key = New-TestKey 'expires'
        New-KmsAlias -AliasName 'alias/expires' -TargetKeyId $key.KeyId
        Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-Null
        Set-TestKeyField -KeyId $key.KeyId -Name DeletionDate -Value ([datetime]::UtcNow.AddMinutes(-1).ToString('o'))
        { Get-KmsKey $key.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
        Test-Path (Join-Path $KeysFolder "$($key.KeyId).key") | Should -BeFalse
        Get-KmsAlias | Where-Object AliasName -eq 'alias/expires' | Should -BeNullOrEmpty
        (Get-KmsKey).KeyId | Should -Not -Contain $key.KeyId
    }
}

Describe 'Aliases: Update-KmsAlias and Remove-KmsAlias' {
    It 'points an alias at another key' {
        $first = New-TestKey 'first'; $second = New-TestKey 'second'
        New-KmsAlias 'alias/moving' $first.KeyId
        Update-KmsAlias -AliasName 'alias/moving' -TargetKeyId $second.Arn
        (Get-KmsKey alias/moving).KeyId | Should -BeExactly $second.KeyId
        (Get-KmsAlias -KeyId $second.KeyId).AliasName | Should -Contain 'alias/moving'
    }

    It 'refuses a new target of another key type' {
        $symmetric = New-TestKey 'symmetric'
        $signing = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY
        New-KmsAlias 'alias/typed' $symmetric.KeyId
        { Update-KmsAlias 'alias/typed' $signing.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.UpdateKmsAliasCommand'
        (Get-KmsKey alias/typed).KeyId | Should -BeExactly $symmetric.KeyId
    }

    It 'NotFoundException for an alias that does not exist' {
        { Update-KmsAlias 'alias/nowhere' (New-TestKey 'x').KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'NotFoundException,KmsTools.Commands.UpdateKmsAliasCommand' -ExpectedMessage 'Alias arn:aws:kms:us-east-1:111122223333:alias/nowhere is not found.'
        { Remove-KmsAlias 'alias/nowhere' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotFoundException,KmsTools.Commands.RemoveKmsAliasCommand'
    }

    It 'removes aliases from the pipeline and leaves the key' {
        $key = New-TestKey 'aliased'
        'alias/rm1', 'alias/rm2' | ForEach-Object { New-KmsAlias $_ $key.KeyId }
        Get-KmsAlias -KeyId $key.KeyId | Remove-KmsAlias -Confirm:$false
        Get-KmsAlias -KeyId $key.KeyId | Should -BeNullOrEmpty
        (Get-KmsKey $key.KeyId).KeyState | Should -BeExactly 'Enabled'
    }

    It 'honours -WhatIf' {
        $key = New-TestKey 'alias whatif'
        New-KmsAlias 'alias/kept' $key.KeyId
        Invoke-WhatIf Remove-KmsAlias @{ AliasName = 'alias/kept' }
        Invoke-WhatIf Update-KmsAlias @{ AliasName = 'alias/kept'; TargetKeyId = (New-TestKey 'other').KeyId }
        (Get-KmsKey alias/kept).KeyId | Should -BeExactly $key.KeyId
    }
}

Describe 'Rotation' {
    It 'is off by default; Enable-KmsKeyRotation sets the period and the next date' {
        $key = New-TestKey 'rotating'
        (Get-KmsKeyRotationStatus $key.KeyId).KeyRotationEnabled | Should -BeFalse
        Enable-KmsKeyRotation $key.KeyId -RotationPeriodInDays 90
        $status = Get-KmsKeyRotationStatus $key.KeyId
        $status.KeyRotationEnabled | Should -BeTrue
        $status.RotationPeriodInDays | Should -Be 90
        ($status.NextRotationDate - [datetime]::UtcNow).TotalDays | Should -BeGreaterThan 89.9
        Disable-KmsKeyRotation $key.KeyId
        (Get-KmsKeyRotationStatus $key.KeyId).KeyRotationEnabled | Should -BeFalse
    }

    It 'rejects a period of <_> days' -ForEach @(89, 2561) {
        { Enable-KmsKeyRotation (New-TestKey 'period').KeyId -RotationPeriodInDays $_ -ErrorAction Stop } | Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.EnableKmsKeyRotationCommand'
    }

    It 'rotates on demand: new blobs use the new material, old blobs still decrypt' {
        $key = New-TestKey 'on demand'
        $before = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 -EncryptionContext @{ when = 'before' }
        (Invoke-KmsKeyRotation $key.KeyId).KeyId | Should -BeExactly $key.Arn
        $after = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256
        $after.KeyMaterialId | Should -Not -Be $before.KeyMaterialId
        (Get-KmsKey $key.KeyId).CurrentKeyMaterialId | Should -BeExactly $after.KeyMaterialId
        ($before | Invoke-KmsDecrypt).KeyMaterialId | Should -BeExactly $before.KeyMaterialId
        ($after | Invoke-KmsDecrypt).KeyMaterialId | Should -BeExactly $after.KeyMaterialId
        $rotations = @(Get-KmsKeyRotation $key.KeyId)
        $rotations.Count | Should -Be 1
        $rotations[0].RotationType | Should -BeExactly 'ON_DEMAND'
        $rotations[0].KeyMaterialId | Should -BeExactly $after.KeyMaterialId
    }

    It 'rotates automatically once the next rotation date has passed' {
        $key = New-TestKey 'automatic'
        $before = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256
        Enable-KmsKeyRotation $key.KeyId -RotationPeriodInDays 90
        Set-TestKeyField -KeyId $key.KeyId -Name NextRotationDate -Value ([datetime]::UtcNow.AddMinutes(-1).ToString('o'))
        $after = New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256
        $after.KeyMaterialId | Should -Not -Be $before.KeyMaterialId
        (Get-KmsKeyRotation $key.KeyId).RotationType | Should -BeExactly 'AUTOMATIC'
        ((Get-KmsKeyRotationStatus $key.KeyId).NextRotationDate - [datetime]::UtcNow).TotalDays | Should -BeGreaterThan 89.9
        ($before | Invoke-KmsDecrypt).Plaintext.Length | Should -BeGreaterThan 0
    }

    It 'refuses asymmetric keys with UnsupportedOperationException, disabled keys with DisabledException' {
        $signing = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY
        { Invoke-KmsKeyRotation $signing.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.InvokeKmsKeyRotationCommand'
        { Enable-KmsKeyRotation $signing.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.EnableKmsKeyRotationCommand'
        $disabled = New-TestKey 'disabled'
        Disable-KmsKey $disabled.KeyId
        { Invoke-KmsKeyRotation $disabled.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'DisabledException,KmsTools.Commands.InvokeKmsKeyRotationCommand'
    }

    It 'honours -WhatIf' {
        $key = New-TestKey 'rotation whatif'
        Invoke-WhatIf Invoke-KmsKeyRotation @{ KeyId = $key.KeyId }
        Invoke-WhatIf Enable-KmsKeyRotation @{ KeyId = $key.KeyId }
        Get-KmsKeyRotation $key.KeyId | Should -BeNullOrEmpty
        (Get-KmsKeyRotationStatus $key.KeyId).KeyRotationEnabled | Should -BeFalse
    }
}

Describe 'Tags' {
    It 'New-KmsKey -Tags, Add-KmsResourceTag updates in place and appends, Remove-KmsResourceTag removes' {
        $key = New-KmsKey -Description 'tagged' -Tags ([ordered]@{ team = 'ops'; env = 'dev' })
        Add-KmsResourceTag $key.KeyId ([ordered]@{ env = 'prod'; owner = 'alice' })
        $tags = Get-KmsResourceTag $key.KeyId
        ($tags | ForEach-Object { "$($_.TagKey)=$($_.TagValue)" }) -join ',' | Should -BeExactly 'team=ops,env=prod,owner=alice'
        Remove-KmsResourceTag $key.KeyId -TagKeys team, owner
        (Get-KmsResourceTag $key.KeyId).TagKey | Should -Be @('env')
    }

    It 'rejects reserved and duplicate tags with TagException' {
        $key = New-TestKey 'bad tags'
        { Add-KmsResourceTag $key.KeyId @{ 'aws:x' = '1' } -ErrorAction Stop } | Should -Throw -ErrorId 'TagException,KmsTools.Commands.AddKmsResourceTagCommand' -ExpectedMessage 'Tags beginning with aws: are reserved'
        Get-KmsResourceTag $key.KeyId | Should -BeNullOrEmpty
    }

    It 'honours -WhatIf' {
        $key = New-KmsKey -Description 'tag whatif' -Tags @{ keep = 'me' }
        Invoke-WhatIf Add-KmsResourceTag @{ KeyId = $key.KeyId; Tag = @{ new = 'tag' } }
        Invoke-WhatIf Remove-KmsResourceTag @{ KeyId = $key.KeyId; TagKey = 'keep' }
        (Get-KmsResourceTag $key.KeyId).TagKey | Should -Be @('keep')
    }
}

Describe 'Asymmetric KMS keys and Get-KmsPublicKey' {
    It 'creates <KeySpec> <KeyUsage> and returns its public key' -ForEach @(
        @{ KeySpec = 'RSA_2048'; KeyUsage = 'ENCRYPT_DECRYPT' }
        @{ KeySpec = 'RSA_3072'; KeyUsage = 'SIGN_VERIFY' }
        @{ KeySpec = 'ECC_NIST_P256'; KeyUsage = 'SIGN_VERIFY' }
        @{ KeySpec = 'ECC_NIST_P384'; KeyUsage = 'KEY_AGREEMENT' }
        @{ KeySpec = 'ECC_NIST_P521'; KeyUsage = 'SIGN_VERIFY' }
        @{ KeySpec = 'ECC_SECG_P256K1'; KeyUsage = 'SIGN_VERIFY' }
        @{ KeySpec = 'ECC_NIST_EDWARDS25519'; KeyUsage = 'SIGN_VERIFY' }
        @{ KeySpec = 'HMAC_512'; KeyUsage = 'GENERATE_VERIFY_MAC' }
    ) {
        $key = New-KmsKey -KeySpec $KeySpec -KeyUsage $KeyUsage
        $key.KeySpec | Should -BeExactly $KeySpec
        $key.KeyUsage | Should -BeExactly $KeyUsage
        $key.CurrentKeyMaterialId | Should -BeNullOrEmpty
        if ($KeySpec -like 'HMAC_*') {
            { Get-KmsPublicKey $key.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.GetKmsPublicKeyCommand'
        } else {
            $public = $key | Get-KmsPublicKey
            $public.KeyId | Should -BeExactly $key.Arn
            $public.KeySpec | Should -BeExactly $KeySpec
            $public.PublicKeyPem | Should -Match '^-----BEGIN PUBLIC KEY-----'
        }
    }

    It 'creates SM2 keys in China regions only' {
        (New-KmsKey -KeySpec SM2 -KeyUsage SIGN_VERIFY -Region cn-northwest-1).Arn | Should -Match '^arn:aws-cn:kms:cn-northwest-1:'
        { New-KmsKey -KeySpec SM2 -KeyUsage SIGN_VERIFY -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.NewKmsKeyCommand' -ExpectedMessage 'KeySpec SM2 is not supported in this Region'
    }

    It 'returns a public key openssl reads' -Skip:(-not $HasOpenSsl) {
        $file = Join-Path $StoreHome 'kms-public.pem'
        (New-KmsKey -KeySpec RSA_2048 -KeyUsage SIGN_VERIFY | Get-KmsPublicKey).PublicKeyPem | Set-Content $file -NoNewline
        & openssl pkey -pubin -in $file -noout
        $LASTEXITCODE | Should -Be 0
    }

    It 'refuses symmetric keys with UnsupportedOperationException' {
        { Get-KmsPublicKey (New-TestKey 'symmetric').KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'UnsupportedOperationException,KmsTools.Commands.GetKmsPublicKeyCommand'
    }
}

Describe 'Key states against every crypto operation' {
    BeforeAll {
        $script:StateKeys = @{}
        $script:Blobs = @{}
        foreach ($state in 'Enabled', 'Disabled', 'PendingDeletion') {
            $key = New-TestKey $state
            $StateKeys[$state] = $key
            $Blobs[$state] = (New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256).PrivateKeyCiphertextBlob
        }
        Disable-KmsKey $StateKeys['Disabled'].KeyId
        Request-KmsKeyDeletion $StateKeys['PendingDeletion'].KeyId -Confirm:$false | Out-Null
    }

    It '<Operation> on a <State> key: <Expected>' -ForEach @(
        @{ State = 'Enabled'; Operation = 'GenerateDataKeyPairWithoutPlaintext'; Expected = 'allowed' }
        @{ State = 'Enabled'; Operation = 'Decrypt'; Expected = 'allowed' }
        @{ State = 'Disabled'; Operation = 'GenerateDataKeyPairWithoutPlaintext'; Expected = 'DisabledException' }
        @{ State = 'Disabled'; Operation = 'Decrypt'; Expected = 'DisabledException' }
        @{ State = 'PendingDeletion'; Operation = 'GenerateDataKeyPairWithoutPlaintext'; Expected = 'KMSInvalidStateException' }
        @{ State = 'PendingDeletion'; Operation = 'Decrypt'; Expected = 'KMSInvalidStateException' }
    ) {
        $key = $StateKeys[$State]
        $run = switch ($Operation) {
            'GenerateDataKeyPairWithoutPlaintext' { { New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 -ErrorAction Stop } }
            'Decrypt' { { Invoke-KmsDecrypt -CiphertextBlob $Blobs[$State] -ErrorAction Stop } }
        }
        if ($Expected -eq 'allowed') {
            & $run | Should -Not -BeNullOrEmpty
        } else {
            $failure = $null
            try { & $run } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike "$Expected,*"
            $suffix = if ($State -eq 'Disabled') { 'is disabled.' } else { 'is pending deletion.' }
            $failure.Exception.Message | Should -BeExactly "$($key.Arn) $suffix"
        }
    }

    It 'a re-enabled key works again' {
        $key = New-TestKey 'reenabled'
        Disable-KmsKey $key.KeyId
        Enable-KmsKey $key.KeyId
        New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 | Should -Not -BeNullOrEmpty
    }
}

Describe 'Get-KmsKey paging' {
    It '-Limit returns one page, -Marker the next' {
        1..3 | ForEach-Object { New-TestKey "page $_" } | Out-Null
        $all = @(Get-KmsKey)
        $first = @(Get-KmsKey -Limit 2 -Verbose 4>&1)
        $keys = @($first | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $keys.Count | Should -Be 2
        $marker = ($first | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match "-Marker '([^']+)'" } | Select-Object -Last 1) |
            ForEach-Object { [regex]::Match($_.Message, "-Marker '([^']+)'").Groups[1].Value }
        $marker | Should -Not -BeNullOrEmpty
        $rest = @(Get-KmsKey -Marker $marker -Limit 1000)
        ($keys.KeyId + $rest.KeyId) | Should -Be $all.KeyId
    }
}

Describe 'A damaged store file' {
    It 'names the file, and the rest of the store keeps working' {
        $good = New-TestKey 'good'
        $bad = New-TestKey 'bad'
        $path = Join-Path $KeysFolder "$($bad.KeyId).json"
        Set-Content -Path $path -Value 'this is not a key'
        $failure = $null
        try { Get-KmsKey $bad.KeyId -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInternalException,KmsTools.Commands.GetKmsKeyCommand'
        $failure.Exception.Message | Should -Match ([regex]::Escape($path))
        $listed = Get-KmsKey -ErrorAction SilentlyContinue -ErrorVariable listErrors
        $listed.KeyId | Should -Contain $good.KeyId
        New-KmsDataKeyPairWithoutPlaintext $good.KeyId ECC_NIST_P256 | Should -Not -BeNullOrEmpty
        Remove-Item $path
    }
}

Describe 'Tab completion of key ids on the lifecycle cmdlets' {
    It 'completes <_>' -ForEach @('Disable-KmsKey', 'Request-KmsKeyDeletion', 'Get-KmsKeyRotationStatus', 'Get-KmsPublicKey') {
        New-KmsAlias 'alias/completion' (New-TestKey 'completion').KeyId -ErrorAction SilentlyContinue
        $line = "$_ -KeyId alias/compl"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'alias/completion'
    }
}

Describe 'Every key cmdlet takes its key from the pipeline' {
    It '<Command> binds KeyId by property name from Get-KmsKey output' -ForEach @(
        @{ Command = 'Disable-KmsKey'; Extra = @{}; Check = { (Get-KmsKey $args[0]).KeyState -eq 'Disabled' } }
        @{ Command = 'Enable-KmsKeyRotation'; Extra = @{}; Check = { (Get-KmsKeyRotationStatus $args[0]).KeyRotationEnabled } }
        @{ Command = 'Invoke-KmsKeyRotation'; Extra = @{}; Check = { @(Get-KmsKeyRotation $args[0]).Count -eq 1 } }
        @{ Command = 'Add-KmsResourceTag'; Extra = @{ Tags = @{ piped = 'yes' } }; Check = { (Get-KmsResourceTag $args[0]).TagValue -eq 'yes' } }
        @{ Command = 'Request-KmsKeyDeletion'; Extra = @{ Confirm = $false }; Check = { (Get-KmsKey $args[0]).KeyState -eq 'PendingDeletion' } }
    ) {
        $key = New-TestKey "pipeline $Command"
        Get-KmsKey $key.KeyId | & $Command @Extra | Out-Null
        & $Check $key.KeyId | Should -BeTrue
    }

    It 'Stop-KmsKeyDeletion, Disable-KmsKeyRotation, Remove-KmsResourceTag and the status cmdlets too' {
        $key = New-KmsKey -Description 'pipeline rest' -Tags @{ gone = 'soon' }
        Enable-KmsKeyRotation $key.KeyId
        $key | Disable-KmsKeyRotation
        ($key | Get-KmsKeyRotationStatus).KeyRotationEnabled | Should -BeFalse
        [pscustomobject]@{ KeyId = $key.KeyId; TagKeys = 'gone' } | Remove-KmsResourceTag
        $key | Get-KmsResourceTag | Should -BeNullOrEmpty
        $key | Request-KmsKeyDeletion -Confirm:$false | Out-Null
        ($key | Stop-KmsKeyDeletion).KeyId | Should -BeExactly $key.Arn
        ($key | Get-KmsKey).KeyState | Should -BeExactly 'Disabled'
    }
}

Describe '-WhatIf on every cmdlet that changes something' {
    It '<_> -WhatIf changes nothing in the store' -ForEach @(
        'New-KmsKey', 'New-KmsAlias', 'Update-KmsAlias', 'Remove-KmsAlias', 'Update-KmsKeyDescription', 'Enable-KmsKey', 'Disable-KmsKey',
        'Request-KmsKeyDeletion', 'Stop-KmsKeyDeletion', 'Enable-KmsKeyRotation', 'Disable-KmsKeyRotation', 'Invoke-KmsKeyRotation',
        'Add-KmsResourceTag', 'Remove-KmsResourceTag'
    ) {
        $command = $_
        $key = New-KmsKey -Description 'whatif target' -Tags @{ t = 'v' }
        $other = New-TestKey 'whatif other'
        New-KmsAlias "alias/wi-$command" $key.KeyId
        (Get-Command $command).Parameters.ContainsKey('WhatIf') | Should -BeTrue
        if ($command -eq 'Stop-KmsKeyDeletion') { Request-KmsKeyDeletion $key.KeyId -Confirm:$false | Out-Null }
        $arguments = switch ($command) {
            'New-KmsKey' { @{ Description = 'never' } }
            'New-KmsAlias' { @{ AliasName = 'alias/never'; TargetKeyId = $key.KeyId } }
            'Update-KmsAlias' { @{ AliasName = "alias/wi-$command"; TargetKeyId = $other.KeyId } }
            'Remove-KmsAlias' { @{ AliasName = "alias/wi-$command" } }
            'Update-KmsKeyDescription' { @{ KeyId = $key.KeyId; Description = 'never' } }
            'Add-KmsResourceTag' { @{ KeyId = $key.KeyId; Tags = @{ never = 'x' } } }
            'Remove-KmsResourceTag' { @{ KeyId = $key.KeyId; TagKeys = 't' } }
            default { @{ KeyId = $key.KeyId } }
        }
        $before = Get-StoreSnapshot
        Invoke-WhatIf $command $arguments
        Get-StoreSnapshot | Should -BeExactly $before
    }
}

Describe 'Answers as AWS recorded them' {
    It 'GetKeyRotationStatus names the key by its ARN' {
        $key = New-TestKey 'status arn'
        (Get-KmsKeyRotationStatus $key.KeyId).KeyId | Should -BeExactly $key.Arn
    }

    It 'an on-demand rotation leaves the automatic schedule as it was, and is reported in progress only while it is (never, here)' {
        $key = New-TestKey 'on demand schedule'
        Enable-KmsKeyRotation $key.KeyId -RotationPeriodInDays 120
        $before = (Get-KmsKeyRotationStatus $key.KeyId).NextRotationDate
        Start-Sleep -Milliseconds 20
        $null = Invoke-KmsKeyRotation $key.KeyId
        $status = Get-KmsKeyRotationStatus $key.KeyId
        $status.NextRotationDate | Should -Be $before
        $status.OnDemandRotationStartDate | Should -BeNullOrEmpty
        (Get-KmsKeyRotation $key.KeyId).RotationType | Should -BeExactly 'ON_DEMAND'
    }

    It 'an unknown multi-Region key id is NotFoundException naming its ARN, as for other key ids' {
        $id = 'mrk-' + ('ab' * 16)
        $failure = Get-Failure { Get-KmsKey -KeyId $id -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
        $failure.Exception.Message | Should -BeExactly "Key 'arn:aws:kms:us-east-1:111122223333:key/$id' does not exist"
    }

    It 'a tag that is too long is named by its place in the list: <Path>' -ForEach @(
        @{ Tags = [ordered]@{ ok = 'fine'; ('k' * 129) = 'v' }; Path = 'tags.2.member.tagKey'; Value = ('k' * 129); Max = 128 }
        @{ Tags = [ordered]@{ team = ('v' * 257) }; Path = 'tags.1.member.tagValue'; Value = ('v' * 257); Max = 256 }
    ) {
        $failure = Get-Failure { New-KmsKey -Tag $Tags -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.NewKmsKeyCommand'
        # The value is shown as AWS shows it, cut after 256 characters (so that a huge value makes no huge error).
        $failure.Exception.Message | Should -BeLike "1 validation error detected: Value '$($Value.Substring(0, 100))*' at '$Path' failed to satisfy constraint: Member must have length less than or equal to $Max"
        $failure.TargetObject | Should -Be $Tags
    }

    It 'CreateKey takes the deprecated CustomerMasterKeySpec as KeySpec, and refuses both at once' {
        $key = New-KmsKey -CliInputJson '{"CustomerMasterKeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"}'
        $key.KeySpec | Should -BeExactly 'HMAC_256'
        $key.CustomerMasterKeySpec | Should -BeExactly 'HMAC_256'
        $failure = Get-Failure { New-KmsKey -KeySpec HMAC_256 -KeyUsage GENERATE_VERIFY_MAC -CliInputJson '{"CustomerMasterKeySpec": "HMAC_256"}' -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.NewKmsKeyCommand'
        $failure.Exception.Message | Should -BeLike 'KeySpec and CustomerMasterKeySpec are the same parameter under two names*'
    }
}
