BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    function Get-Failure {
        # Not $Command: the tests' own $Command would resolve to this parameter inside the script block.
        param([scriptblock] $Attempt)
        try { & $Attempt; $null } catch { $_ }
    }
    function Assert-Refused {
        # A refused request: the KMS error id of the cmdlet, its message, and not one byte of the store changed.
        param([string] $Command, [hashtable] $Arguments, [string] $ErrorId, [string] $Message)
        $before = Get-StoreSnapshot
        $failure = Get-Failure { & $Command @Arguments -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.$($Command -replace '-')Command"
        $failure.Exception.Message | Should -Match $Message
        Get-StoreSnapshot | Should -BeExactly $before
    }
    $script:Root = 'arn:aws:iam::111122223333:root'
    $script:App = 'arn:aws:iam::111122223333:role/app'
    $script:Admin = 'arn:aws:iam::111122223333:role/admin'
    function New-PolicyText([object[]] $Statements) {
        @{ Version = '2012-10-17'; Statement = $Statements } | ConvertTo-Json -Depth 8
    }
    $script:RootOnly = New-PolicyText @(@{ Sid = 'Root'; Effect = 'Allow'; Principal = @{ AWS = $Root }; Action = 'kms:*'; Resource = '*' })
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Key policies' {
    It 'a new key has the default policy AWS writes, and one policy name, default' {
        $key = New-KmsKey -Description 'default policy'
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly (@(
            '{'
            '  "Version" : "2012-10-17",'
            '  "Id" : "key-default-1",'
            '  "Statement" : [ {'
            '    "Sid" : "Enable IAM User Permissions",'
            '    "Effect" : "Allow",'
            '    "Principal" : {'
            '      "AWS" : "arn:aws:iam::111122223333:root"'
            '    },'
            '    "Action" : "kms:*",'
            '    "Resource" : "*"'
            '  } ]'
            '}') -join "`n")
        Get-KmsKeyPolicyList $key.KeyId | Should -BeExactly 'default'
        Get-KmsKeyPolicy $key.KeyId -PolicyName default | Should -BeExactly (Get-KmsKeyPolicy $key.Arn)
    }

    It 'Write-KmsKeyPolicy keeps the document as given (text or file://), and -PassThru shows it' {
        $key = New-KmsKey
        $policy = New-PolicyText @(
            @{ Sid = 'Root'; Effect = 'Allow'; Principal = @{ AWS = $Root }; Action = 'kms:*'; Resource = '*' }
            @{ Sid = 'App'; Effect = 'Allow'; Principal = @{ AWS = $App }; Action = @('kms:Decrypt', 'kms:Encrypt'); Resource = '*'
               Condition = @{ StringEquals = @{ 'kms:EncryptionContext:app' = 'billing' } } })
        Write-KmsKeyPolicy $key.KeyId $policy -Confirm:$false -PassThru | Should -BeExactly $policy
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $policy
        $file = Join-Path $StoreHome 'policy.json'
        Set-Content -LiteralPath $file -Value $RootOnly -NoNewline
        [pscustomobject]@{ KeyId = $key.KeyId; Policy = "file://$file" } | Write-KmsKeyPolicy -Confirm:$false
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $RootOnly
    }

    It 'New-KmsKey -Policy gives the key that policy' {
        $key = New-KmsKey -Policy $RootOnly
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $RootOnly
    }

    It 'honours -WhatIf' {
        $key = New-KmsKey
        $before = Get-KmsKeyPolicy $key.KeyId
        Invoke-WhatIf Write-KmsKeyPolicy @{ KeyId = $key.KeyId; Policy = $RootOnly }
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $before
    }

    It 'refuses <Name> with <ErrorId>, and changes nothing' -ForEach @(
        @{ Name = 'text that is not JSON'; Policy = '{ "Statement": '; ErrorId = 'MalformedPolicyDocumentException'; Message = '^The policy is not valid JSON: ' }
        @{ Name = 'a policy without statements'; Policy = '{"Version":"2012-10-17","Statement":[]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = '^The policy has no Statement\.$' }
        @{ Name = 'a statement without principal'; Policy = '{"Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = 'every statement of a key policy has principals' }
        @{ Name = 'an invalid principal'; Policy = '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"someone"},"Action":"kms:*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = '^Policy contains a statement with one or more invalid principals\.$' }
        @{ Name = 'a bad Effect'; Policy = '{"Statement":[{"Effect":"Maybe","Principal":"*","Action":"kms:*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = 'needs an Effect of "Allow" or "Deny"' }
        @{ Name = 'a repeated Sid'; Policy = '{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},{"Sid":"A","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = "'A' is used twice" }
        @{ Name = 'a policy that locks the caller out'; Policy = '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = '^The new key policy will not allow you to update the key policy in the future\.$' }
        @{ Name = 'a policy that denies the caller PutKeyPolicy'; Policy = '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"kms:Put*","Resource":"*"}]}'; ErrorId = 'MalformedPolicyDocumentException'; Message = 'will not allow you to update the key policy' }
        @{ Name = 'a policy over 32 KB'; Policy = ('{"Statement":[{"Sid":"' + ('x' * 33000) + '","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}'); ErrorId = 'LimitExceededException'; Message = 'a key policy can be at most 32768 bytes' }
        @{ Name = 'a character outside the policy character set'; Policy = "{`"Statement`":[{`"Sid`":`"$([char]0x263A)`",`"Effect`":`"Allow`",`"Principal`":`"*`",`"Action`":`"kms:*`",`"Resource`":`"*`"}]}"; ErrorId = 'ValidationException'; Message = "^1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern" }
        @{ Name = 'another policy name'; Policy = $null; PolicyName = 'other'; ErrorId = 'UnsupportedOperationException'; Message = 'has one key policy, named "default"' }
    ) {
        $key = New-KmsKey
        $arguments = @{ KeyId = $key.KeyId; Policy = ($Policy ?? $RootOnly); Confirm = $false }
        if ($PolicyName) { $arguments.PolicyName = $PolicyName }
        Assert-Refused Write-KmsKeyPolicy $arguments $ErrorId $Message
    }

    It '-BypassPolicyLockoutSafetyCheck lets a policy that locks the caller out through' {
        $key = New-KmsKey
        $locking = New-PolicyText @(@{ Effect = 'Allow'; Principal = @{ AWS = $App }; Action = 'kms:*'; Resource = '*' })
        Write-KmsKeyPolicy $key.KeyId $locking -BypassPolicyLockoutSafetyCheck -Confirm:$false
        $env:KMSTOOLS_CALLER_PRINCIPAL = $App
        try { Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $locking } finally { Remove-Item Env:KMSTOOLS_CALLER_PRINCIPAL }
        # As in AWS: the account's root, no longer named by the policy, is locked out of the key.
        (Get-Failure { Get-KmsKeyPolicy $key.KeyId -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'AccessDeniedException,KmsTools.Commands.GetKmsKeyPolicyCommand'
    }

    It 'New-KmsKey with a bad policy makes no key' {
        # Counted as files: Get-KmsKey would also DescribeKey the keys whose policies lock the root out (AccessDeniedException).
        $before = @(Get-ChildItem $KeysFolder -Filter *.json).Count
        $failure = Get-Failure { New-KmsKey -Policy '{"Statement":[]}' -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'MalformedPolicyDocumentException,KmsTools.Commands.NewKmsKeyCommand'
        @(Get-ChildItem $KeysFolder -Filter *.json).Count | Should -Be $before
    }

    It 'takes a key id or key ARN, not an alias (<Name>)' -ForEach @(
        @{ Name = 'alias name'; Id = 'alias/policy-alias'; ErrorId = 'NotFoundException'; Message = '^Invalid keyId alias/policy-alias$' }
        @{ Name = 'alias ARN'; Id = 'arn:aws:kms:us-east-1:111122223333:alias/policy-alias'; ErrorId = 'InvalidArnException'; Message = '^Key Aliases are not supported for this operation\.$' }
    ) {
        $key = New-KmsKey
        New-KmsAlias alias/policy-alias $key.KeyId -ErrorAction SilentlyContinue
        $failure = Get-Failure { Get-KmsKeyPolicy $Id -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,KmsTools.Commands.GetKmsKeyPolicyCommand"
        $failure.Exception.Message | Should -Match $Message
    }

    It 'Get-KmsKeyPolicy of another policy name is NotFoundException' {
        $key = New-KmsKey
        (Get-Failure { Get-KmsKeyPolicy $key.KeyId -PolicyName other -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'NotFoundException,KmsTools.Commands.GetKmsKeyPolicyCommand'
    }

    It 'a key pending deletion keeps its policy readable, and refuses a new one' {
        $key = New-KmsKey
        Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-Null
        Get-KmsKeyPolicy $key.KeyId | Should -Match 'key-default-1'
        (Get-Failure { Write-KmsKeyPolicy $key.KeyId $RootOnly -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'KMSInvalidStateException,KmsTools.Commands.WriteKmsKeyPolicyCommand'
    }

    It 'one bad item of a pipeline does not stop the others' {
        $keys = 1..2 | ForEach-Object { New-KmsKey }
        $items = @(
            [pscustomobject]@{ KeyId = $keys[0].KeyId; Policy = '{"Statement":[]}' }
            [pscustomobject]@{ KeyId = $keys[1].KeyId; Policy = $RootOnly }
        )
        $items | Write-KmsKeyPolicy -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -BeExactly '{"Statement":[]}' -Because 'the error is about the policy'
        Get-KmsKeyPolicy $keys[1].KeyId | Should -BeExactly $RootOnly
        Get-KmsKeyPolicy $keys[0].KeyId | Should -Match 'key-default-1'
    }

    It 'takes its keys from the pipeline: Get-KmsKey | Get-KmsKeyPolicy, | Get-KmsKeyPolicyList, | Get-KmsGrant' {
        $keys = 1..2 | ForEach-Object { New-KmsKey -Policy $RootOnly }
        @($keys | Get-KmsKeyPolicy) | Should -Be @($RootOnly, $RootOnly)
        @($keys.KeyId | Get-KmsKeyPolicyList) | Should -Be @('default', 'default')
        $keys | ForEach-Object { New-KmsGrant $_.KeyId $App Decrypt } | Out-Null
        @($keys | Get-KmsGrant).KeyId | Should -Be $keys.Arn
        @($App, $Admin) | Get-KmsRetirableGrant | Should -BeNullOrEmpty
    }

    It '-Output json prints what the aws CLI prints' {
        $key = New-KmsKey -Policy $RootOnly
        $printed = Get-KmsKeyPolicy $key.KeyId -Output json | ConvertFrom-Json
        $printed.Policy | Should -BeExactly $RootOnly
        $printed.PolicyName | Should -BeExactly 'default'
        (Get-KmsKeyPolicyList $key.KeyId -Output json | ConvertFrom-Json).PolicyNames | Should -Be @('default')
    }
}

Describe 'Grants' {
    BeforeAll {
        $script:Key = New-KmsKey -Description 'granted'
        function Get-GrantChange([string] $Command) {
            # The arguments of one change by each grant cmdlet, on a key of its own that has one grant.
            $key = New-KmsKey
            $grant = New-KmsGrant $key.KeyId $App Decrypt
            switch ($Command) {
                'New-KmsGrant' { @{ KeyId = $key.KeyId; GranteePrincipal = $App; Operation = 'Encrypt' } }
                'Revoke-KmsGrant' { @{ KeyId = $key.KeyId; GrantId = $grant.GrantId } }
                'Disable-KmsGrant' { @{ GrantToken = $grant.GrantToken } }
            }
        }
    }

    It 'New-KmsGrant makes a grant that Get-KmsGrant shows as AWS lists it' {
        $grant = New-KmsGrant $Key.KeyId $App Encrypt, Decrypt -RetiringPrincipal $Admin -EncryptionContextSubset @{ app = 'billing' } -Name listed
        $grant.PSObject.TypeNames[0] | Should -Be 'KmsTools.Model.CreateGrantResponse'
        $grant.GrantId | Should -Match '^[0-9a-f]{64}$'
        $grant.GrantToken | Should -Not -BeNullOrEmpty
        $entry = Get-KmsGrant $Key.KeyId -GrantId $grant.GrantId
        $entry.KeyId | Should -BeExactly $Key.Arn
        $entry.Name | Should -BeExactly 'listed'
        $entry.GranteePrincipal | Should -BeExactly $App
        $entry.RetiringPrincipal | Should -BeExactly $Admin
        $entry.IssuingAccount | Should -BeExactly $Root
        $entry.Operations | Should -Be @('Encrypt', 'Decrypt')
        $entry.Constraints.EncryptionContextSubset['app'] | Should -BeExactly 'billing'
        $entry.Constraints.EncryptionContextEquals | Should -BeNullOrEmpty
        $entry.CreationDate | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
        ($entry | Format-List | Out-String) | Should -Match 'Constraints\s+: EncryptionContextSubset: app=billing'
    }

    It 'with a name, CreateGrant of the same parameters returns the same grant (a new token each time); other parameters make another' {
        $key = New-KmsKey
        $first = New-KmsGrant $key.KeyId $App Decrypt -Name retry
        $again = New-KmsGrant $key.KeyId $App Decrypt -Name retry
        $again.GrantId | Should -BeExactly $first.GrantId
        $again.GrantToken | Should -Not -BeExactly $first.GrantToken
        (New-KmsGrant $key.KeyId $App Encrypt -Name retry).GrantId | Should -Not -BeExactly $first.GrantId
        (New-KmsGrant $key.KeyId $App Decrypt).GrantId | Should -Not -BeExactly (New-KmsGrant $key.KeyId $App Decrypt).GrantId
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 4
    }

    It 'takes -Constraints as the aws CLI does, JSON included' {
        $key = New-KmsKey
        $grant = New-KmsGrant $key.KeyId $App Decrypt -Constraints '{"EncryptionContextEquals": {"tenant": "a"}}'
        (Get-KmsGrant $key.KeyId -GrantId $grant.GrantId).Constraints.EncryptionContextEquals['tenant'] | Should -BeExactly 'a'
        $grant = New-KmsGrant $key.KeyId $App Decrypt -Constraints @{ EncryptionContextSubset = 'k1=v1,k2=v2' }
        (Get-KmsGrant $key.KeyId -GrantId $grant.GrantId).Constraints.EncryptionContextSubset.Count | Should -Be 2
    }

    It 'its grant token is accepted in GrantTokens of the cryptographic operations' {
        $grant = New-KmsGrant $Key.KeyId $App Encrypt, Decrypt, GenerateDataKey
        $encrypted = Invoke-KmsEncrypt $Key.KeyId -PlaintextString 'granted' -GrantToken $grant.GrantToken
        [Text.Encoding]::UTF8.GetString((Invoke-KmsDecrypt -CiphertextBlob $encrypted.CiphertextBlob -GrantToken $grant.GrantToken).Plaintext) | Should -BeExactly 'granted'
        (New-KmsDataKey $Key.KeyId -KeySpec AES_256 -GrantToken $grant.GrantToken).Plaintext.Length | Should -Be 32
        (New-KmsDataKeyPairWithoutPlaintext $Key.KeyId ECC_NIST_P256 -GrantToken $grant.GrantToken).KeyPairSpec | Should -BeExactly 'ECC_NIST_P256'
        (Get-KmsKey $Key.KeyId -GrantToken $grant.GrantToken).KeyId | Should -BeExactly $Key.KeyId
    }

    It 'a malformed grant token is InvalidGrantTokenException, for one pipeline item only' {
        $grant = New-KmsGrant $Key.KeyId $App Encrypt
        $failure = Get-Failure { Invoke-KmsEncrypt $Key.KeyId -PlaintextString 'x' -GrantToken 'not-a-token' -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidGrantTokenException,KmsTools.Commands.InvokeKmsEncryptCommand'
        $failure.Exception.Message | Should -Not -Match 'not-a-token'
        $tampered = $grant.GrantToken.Substring(0, 10) + 'A' + $grant.GrantToken.Substring(11)
        (Get-Failure { Get-KmsKey $Key.KeyId -GrantToken $tampered -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeExactly 'InvalidGrantTokenException,KmsTools.Commands.GetKmsKeyCommand'
        $results = @(
            [pscustomobject]@{ KeyId = $Key.KeyId; GrantToken = 'bad' }
            [pscustomobject]@{ KeyId = $Key.KeyId; GrantToken = $grant.GrantToken }
        ) | ForEach-Object { Invoke-KmsEncrypt $_.KeyId -PlaintextString 'x' -GrantToken $_.GrantToken -ErrorAction SilentlyContinue -ErrorVariable +failures }
        @($results).Count | Should -Be 1
        $failures.Count | Should -Be 1
    }

    It 'Disable-KmsGrant retires by the token that New-KmsGrant returned' {
        $key = New-KmsKey
        $grant = New-KmsGrant $key.KeyId $App Decrypt
        $grant | Disable-KmsGrant -Confirm:$false
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 0
        # A token of a grant that is gone is still well formed: it grants nothing, and is no error.
        (Get-KmsKey $key.KeyId -GrantToken $grant.GrantToken).KeyId | Should -BeExactly $key.KeyId
        (Get-Failure { $grant | Disable-KmsGrant -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'InvalidGrantIdException,KmsTools.Commands.DisableKmsGrantCommand'
    }

    It 'Disable-KmsGrant retires by key and grant id, from Get-KmsGrant' {
        $key = New-KmsKey
        1..2 | ForEach-Object { New-KmsGrant $key.KeyId "$App-$_" Decrypt } | Out-Null
        Get-KmsGrant $key.KeyId | Disable-KmsGrant -Confirm:$false
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 0
    }

    It 'Disable-KmsGrant with neither a token nor key and grant id says what it needs' {
        $failure = Get-Failure { Disable-KmsGrant -GrantId abc -Confirm:$false -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'ValidationException,KmsTools.Commands.DisableKmsGrantCommand'
        $failure.Exception.Message | Should -Match '^Grant token OR \(grant ID, key ID\) must be specified'
    }

    It 'Revoke-KmsGrant deletes one grant; one bad item does not stop the others' {
        $key = New-KmsKey
        $kept = New-KmsGrant $key.KeyId $App Encrypt
        $gone = New-KmsGrant $key.KeyId $App Decrypt
        @(
            [pscustomobject]@{ KeyId = $key.KeyId; GrantId = '0' * 64 }
            [pscustomobject]@{ KeyId = $key.KeyId; GrantId = $gone.GrantId }
        ) | Revoke-KmsGrant -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidGrantIdException,KmsTools.Commands.RevokeKmsGrantCommand'
        $failures[0].TargetObject | Should -BeExactly ('0' * 64)
        (Get-KmsGrant $key.KeyId).GrantId | Should -Be @($kept.GrantId)
    }

    It '<Command> honours -WhatIf' -ForEach @(
        @{ Command = 'New-KmsGrant' }, @{ Command = 'Revoke-KmsGrant' }, @{ Command = 'Disable-KmsGrant' }
    ) {
        $change = Get-GrantChange $Command
        $before = Get-StoreSnapshot
        Invoke-WhatIf $Command $change
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It '<Command> -DryRun is DryRunOperationException and changes nothing' -ForEach @(
        @{ Command = 'New-KmsGrant' }, @{ Command = 'Revoke-KmsGrant' }, @{ Command = 'Disable-KmsGrant' }
    ) {
        $change = Get-GrantChange $Command
        Assert-Refused $Command ($change + @{ DryRun = $true; Confirm = $false }) DryRunOperationException '^The request would have succeeded, but the DryRun option is set\.$'
    }

    It 'refuses <Name> with <ErrorId>, and changes nothing' -ForEach @(
        @{ Name = 'an operation the key cannot do'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Sign'); ErrorId = 'ValidationException'; Message = '^The grant operation Sign is not valid for arn:aws:kms:us-east-1:111122223333:key/.+, a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key\. Its grants can allow: Decrypt, Encrypt, ' }
        @{ Name = 'GenerateDataKey on a signing key'; Spec = 'ECC_NIST_P256'; Operations = @('Sign', 'GenerateDataKey'); ErrorId = 'ValidationException'; Message = 'The grant operation GenerateDataKey is not valid for' }
        @{ Name = 'an operation that is not one'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Fly'); ErrorId = 'ValidationException'; Message = "at 'operations' failed to satisfy constraint: Member must satisfy enum value set" }
        @{ Name = 'no operation'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @(); ErrorId = 'ValidationException'; Message = "^1 validation error detected: Value '\[\]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1$" }
        @{ Name = 'a constraint on an asymmetric key'; Spec = 'ECC_NIST_P256'; Operations = @('Sign'); Subset = @{ a = 'b' }; ErrorId = 'ValidationException'; Message = '^Encryption context grant constraints are for symmetric encryption KMS keys' }
        @{ Name = 'a constraint of 9 pairs'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Decrypt'); Subset = 'a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9'; ErrorId = 'ValidationException'; Message = 'has 9 pairs; a constraint can have at most 8' }
        @{ Name = 'a principal with a space'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Decrypt'); Grantee = 'role app'; ErrorId = 'ValidationException'; Message = "Value 'role app' at 'granteePrincipal' failed to satisfy constraint: Member must satisfy regular expression pattern" }
        @{ Name = 'a name with a space'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Decrypt'); GrantName = 'my grant'; ErrorId = 'ValidationException'; Message = "Value 'my grant' at 'name' failed" }
        @{ Name = 'a grant token that is not one'; Spec = 'SYMMETRIC_DEFAULT'; Operations = @('Decrypt'); Token = 'abc'; ErrorId = 'InvalidGrantTokenException'; Message = '^The grant token is not valid' }
    ) {
        $usage = if ($Spec -eq 'SYMMETRIC_DEFAULT') { 'ENCRYPT_DECRYPT' } else { 'SIGN_VERIFY' }
        $key = New-KmsKey -KeySpec $Spec -KeyUsage $usage
        $arguments = @{ KeyId = $key.KeyId; GranteePrincipal = ($Grantee ?? $App); Operation = $Operations }
        if ($Subset) { $arguments.EncryptionContextSubset = $Subset }
        if ($GrantName) { $arguments.Name = $GrantName }
        if ($Token) { $arguments.GrantToken = $Token }
        Assert-Refused New-KmsGrant $arguments $ErrorId $Message
    }

    It 'a key pending deletion takes no new grant; its grants can still be listed and revoked' {
        $key = New-KmsKey
        $grant = New-KmsGrant $key.KeyId $App Decrypt
        Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-Null
        (Get-Failure { New-KmsGrant $key.KeyId $App Encrypt -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'KMSInvalidStateException,KmsTools.Commands.NewKmsGrantCommand'
        (Get-KmsGrant $key.KeyId).GrantId | Should -BeExactly $grant.GrantId
        Revoke-KmsGrant $key.KeyId $grant.GrantId -Confirm:$false
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 0
    }

    It 'a disabled key takes grants, as in AWS' {
        $key = New-KmsKey
        Disable-KmsKey $key.KeyId
        (New-KmsGrant $key.KeyId $App Decrypt).GrantId | Should -Match '^[0-9a-f]{64}$'
    }

    It 'Get-KmsGrant -GrantId of a grant the key does not have is InvalidGrantIdException' {
        $other = New-KmsKey
        $grant = New-KmsGrant $Key.KeyId $App Decrypt
        (Get-Failure { Get-KmsGrant $other.KeyId -GrantId $grant.GrantId -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'InvalidGrantIdException,KmsTools.Commands.GetKmsGrantCommand'
    }

    It 'Get-KmsGrant pages, and -NoPaginate returns the first page' {
        $key = New-KmsKey
        1..3 | ForEach-Object { [pscustomobject]@{ KeyId = $key.KeyId; GranteePrincipal = "$App$_"; Operation = 'Decrypt' } } | New-KmsGrant | Out-Null
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 3
        @(Get-KmsGrant $key.KeyId -GranteePrincipal "${App}2").GranteePrincipal | Should -Be @("${App}2")
        $page = Get-KmsGrant -CliInputJson "{`"KeyId`": `"$($key.KeyId)`", `"Limit`": 2}" -NoPaginate
        @($page).Count | Should -Be 2
    }

    It 'Get-KmsRetirableGrant finds the grants of every key that name the retiring principal' {
        $keys = 1..2 | ForEach-Object { New-KmsKey }
        $retirer = 'arn:aws:iam::111122223333:role/retirer'
        $grants = $keys | ForEach-Object { New-KmsGrant $_.KeyId $App Decrypt -RetiringPrincipal $retirer }
        New-KmsGrant $keys[0].KeyId $App Encrypt -RetiringPrincipal $Admin | Out-Null
        $found = @(Get-KmsRetirableGrant $retirer)
        ($found.GrantId | Sort-Object) | Should -Be ($grants.GrantId | Sort-Object)
        ($found.KeyId | Sort-Object) | Should -Be ($keys.Arn | Sort-Object)
        $found | Disable-KmsGrant -Confirm:$false
        @(Get-KmsRetirableGrant $retirer).Count | Should -Be 0
    }

    It 'a principal can have 500 grants on a key, as AWS allows, and no more' {
        $key = New-KmsKey
        $now = [datetime]::UtcNow.ToString('o')
        $grants = 1..500 | ForEach-Object {
            [pscustomobject]@{ GrantId = '{0:x64}' -f $_; CreationDate = $now; GranteePrincipal = $App; IssuingAccount = $Root; Operations = @('Decrypt') }
        }
        Set-TestKeyField -KeyId $key.KeyId -Name Grants -Value $grants
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 500
        $failure = Get-Failure { New-KmsGrant $key.KeyId $App Encrypt -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'LimitExceededException,KmsTools.Commands.NewKmsGrantCommand'
        $failure.Exception.Message | Should -Match "^arn:aws:iam::111122223333:role/app has 500 grants on arn:aws:kms:"
        (New-KmsGrant $key.KeyId $Admin Encrypt).GrantId | Should -Match '^[0-9a-f]{64}$'
    }

    It 'grants go with their key' {
        $key = New-KmsKey
        $retirer = 'arn:aws:iam::111122223333:role/with-the-key'
        New-KmsGrant $key.KeyId $App Decrypt -RetiringPrincipal $retirer | Out-Null
        Request-KmsKeyDeletion $key.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-Null
        Set-TestKeyField -KeyId $key.KeyId -Name DeletionDate -Value ([datetime]::UtcNow.AddMinutes(-1).ToString('o'))
        @(Get-KmsRetirableGrant $retirer).Count | Should -Be 0
        Test-Path (Join-Path $KeysFolder "$($key.KeyId).json") | Should -BeFalse
    }

    It 'round-trips through Export-Clixml, and the imported grant pipes into Revoke-KmsGrant' {
        $key = New-KmsKey
        New-KmsGrant $key.KeyId $App Decrypt -EncryptionContextEquals @{ a = 'b' } | Out-Null
        $file = Join-Path $StoreHome 'grants.xml'
        Get-KmsGrant $key.KeyId | Export-Clixml $file
        $imported = Import-Clixml $file
        $imported.PSObject.TypeNames[0] | Should -Be 'Deserialized.KmsTools.Model.GrantListEntry'
        ($imported | Format-List | Out-String) | Should -Match 'EncryptionContextEquals: a=b'
        $imported | Revoke-KmsGrant -Confirm:$false
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 0
    }
}

Describe 'Grants and key policies through Start-KmsServer, with the aws CLI' {
    BeforeAll {
        $script:Server = Start-KmsServer -PassThru
        $script:SavedCredentials = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'
        # The aws CLI reads these too: a profile or config left by another test file must not change its answers.
        Remove-Item Env:AWS_PROFILE, Env:AWS_DEFAULT_PROFILE, Env:AWS_CONFIG_FILE, Env:AWS_ENDPOINT_URL, Env:AWS_ENDPOINT_URL_KMS -ErrorAction SilentlyContinue
        function Invoke-AwsKms([string[]] $Arguments) {
            $err = Join-Path $StoreHome 'aws.err'
            $out = & aws kms @Arguments --endpoint-url $Server.Url --region us-east-1 --output json 2>$err
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $(if ($out) { $out | ConvertFrom-Json }); Error = (Get-Content $err -Raw) }
        }
    }

    AfterAll {
        $Server | Stop-KmsServer
        $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $SavedCredentials
    }

    It 'create-grant, list-grants, retire-grant, get-key-policy and put-key-policy answer as AWS KMS' -Skip:(-not (Get-Command aws -ErrorAction SilentlyContinue)) {
        $key = New-KmsKey
        $created = Invoke-AwsKms 'create-grant', '--key-id', $key.KeyId, '--grantee-principal', $App, '--operations', 'Encrypt', 'Decrypt', '--constraints', 'EncryptionContextSubset={app=cli}'
        $created.ExitCode | Should -Be 0 -Because $created.Error
        $created.Output.GrantId | Should -Match '^[0-9a-f]{64}$'
        $listed = (Invoke-AwsKms 'list-grants', '--key-id', $key.Arn).Output.Grants
        $listed.GrantId | Should -Be @($created.Output.GrantId)
        $listed.Constraints.EncryptionContextSubset.app | Should -BeExactly 'cli'
        (Invoke-AwsKms 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk=', '--grant-tokens', $created.Output.GrantToken).ExitCode | Should -Be 0
        (Invoke-AwsKms 'retire-grant', '--grant-token', $created.Output.GrantToken).ExitCode | Should -Be 0
        @(Get-KmsGrant $key.KeyId).Count | Should -Be 0
        $bad = Invoke-AwsKms 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk=', '--grant-tokens', 'nope'
        $bad.ExitCode | Should -Not -Be 0
        $bad.Error | Should -Match 'InvalidGrantTokenException'

        (Invoke-AwsKms 'get-key-policy', '--key-id', $key.KeyId, '--policy-name', 'default').Output.Policy | Should -Match '"Id" : "key-default-1"'
        $file = Join-Path $StoreHome 'cli-policy.json'
        Set-Content -LiteralPath $file -Value $RootOnly -NoNewline
        (Invoke-AwsKms 'put-key-policy', '--key-id', $key.KeyId, '--policy-name', 'default', '--policy', "file://$file").ExitCode | Should -Be 0
        Get-KmsKeyPolicy $key.KeyId | Should -BeExactly $RootOnly
        $locked = Invoke-AwsKms 'put-key-policy', '--key-id', $key.KeyId, '--policy', '{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/x"},"Action":"kms:*","Resource":"*"}]}'
        $locked.Error | Should -Match 'MalformedPolicyDocumentException.+The new key policy will not allow you to update the key policy in the future\.'
        (Invoke-AwsKms 'list-key-policies', '--key-id', $key.KeyId).Output.PolicyNames | Should -Be @('default')
    }
}

Describe 'Who is calling, through Start-KmsServer: access keys mapped to principals' {
    BeforeAll {
        $script:SavedCredentials = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        Remove-Item Env:AWS_PROFILE, Env:AWS_DEFAULT_PROFILE, Env:AWS_CONFIG_FILE, Env:AWS_ENDPOINT_URL, Env:AWS_ENDPOINT_URL_KMS -ErrorAction SilentlyContinue
        $appCredential = [pscredential]::new('AKIAAPP', (ConvertTo-SecureString 'app-secret' -AsPlainText -Force))
        $adminCredential = [pscredential]::new('AKIAADMIN', (ConvertTo-SecureString 'admin-secret' -AsPlainText -Force))
        $script:Mapped = Start-KmsServer -PassThru -Credential $appCredential, $adminCredential -Principal @{ AKIAAPP = $App; AKIAADMIN = $Admin }
        function Invoke-AwsKmsAs([string] $AccessKey, [string] $Secret, [string[]] $Arguments) {
            $env:AWS_ACCESS_KEY_ID = $AccessKey; $env:AWS_SECRET_ACCESS_KEY = $Secret
            $err = Join-Path $StoreHome 'aws-as.err'
            $out = & aws kms @Arguments --endpoint-url $Mapped.Url --region us-east-1 --output json 2>$err
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $(if ($out) { $out | ConvertFrom-Json }); Error = (Get-Content $err -Raw) }
        }
    }

    AfterAll {
        $Mapped | Stop-KmsServer
        $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $SavedCredentials
    }

    It 'each signed request is allowed as the policy allows its principal' -Skip:(-not (Get-Command aws -ErrorAction SilentlyContinue)) {
        $key = New-KmsKey -BypassPolicyLockoutSafetyCheck -Policy (New-PolicyText @(
            @{ Sid = 'Admin'; Effect = 'Allow'; Principal = @{ AWS = $Admin }; Action = 'kms:*'; Resource = '*' }
            @{ Sid = 'App'; Effect = 'Allow'; Principal = @{ AWS = $App }; Action = 'kms:Encrypt'; Resource = '*' }
        ))
        $sealed = Invoke-AwsKmsAs AKIAAPP app-secret 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk='
        $sealed.ExitCode | Should -Be 0 -Because $sealed.Error
        $blob = Join-Path $StoreHome 'mapped.blob'
        [IO.File]::WriteAllBytes($blob, [Convert]::FromBase64String($sealed.Output.CiphertextBlob))
        $denied = Invoke-AwsKmsAs AKIAAPP app-secret 'decrypt', '--ciphertext-blob', "fileb://$blob"
        $denied.ExitCode | Should -Not -Be 0
        $denied.Error | Should -Match ([regex]::Escape("(AccessDeniedException) when calling the Decrypt operation: User: $App is not authorized to perform: kms:Decrypt on resource: $($key.Arn) because no resource-based policy allows the kms:Decrypt action"))
        $opened = Invoke-AwsKmsAs AKIAADMIN admin-secret 'decrypt', '--ciphertext-blob', "fileb://$blob"
        # aws CLI v1 sends --plaintext text as its bytes: the plaintext is the four bytes of 'aGk=', base64 YUdrPQ==.
        $opened.Output.Plaintext | Should -BeExactly 'YUdrPQ=='
    }

    It 'deny, grant-allowed, grant-constraint-refused and retired-grant-refused, for a client of the server' -Skip:(-not (Get-Command aws -ErrorAction SilentlyContinue)) {
        $key = New-KmsKey -BypassPolicyLockoutSafetyCheck -Policy (New-PolicyText @(
            @{ Sid = 'Admin'; Effect = 'Allow'; Principal = @{ AWS = $Admin }; Action = 'kms:*'; Resource = '*' }
            @{ Sid = 'NoAppDecrypt'; Effect = 'Deny'; Principal = @{ AWS = $App }; Action = 'kms:Decrypt'; Resource = '*' }
        ))
        $created = Invoke-AwsKmsAs AKIAADMIN admin-secret 'create-grant', '--key-id', $key.KeyId, '--grantee-principal', $App, '--operations', 'Encrypt', 'Decrypt', '--constraints', 'EncryptionContextSubset={app=billing}'
        $created.ExitCode | Should -Be 0 -Because $created.Error
        # grant-allowed: the grant lets App encrypt, for its context
        $sealed = Invoke-AwsKmsAs AKIAAPP app-secret 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk=', '--encryption-context', 'app=billing'
        $sealed.ExitCode | Should -Be 0 -Because $sealed.Error
        # grant-constraint-refused: another context
        $other = Invoke-AwsKmsAs AKIAAPP app-secret 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk=', '--encryption-context', 'app=other'
        $other.Error | Should -Match ([regex]::Escape("(AccessDeniedException) when calling the Encrypt operation: User: $App is not authorized to perform: kms:Encrypt on resource: $($key.Arn) because no resource-based policy allows the kms:Encrypt action"))
        # deny: the policy's explicit deny wins over the grant
        $blob = Join-Path $StoreHome 'denied.blob'
        [IO.File]::WriteAllBytes($blob, [Convert]::FromBase64String($sealed.Output.CiphertextBlob))
        $denied = Invoke-AwsKmsAs AKIAAPP app-secret 'decrypt', '--ciphertext-blob', "fileb://$blob", '--encryption-context', 'app=billing'
        $denied.Error | Should -Match ([regex]::Escape("User: $App is not authorized to perform: kms:Decrypt on resource: $($key.Arn) with an explicit deny in a resource-based policy"))
        # retired-grant-refused
        (Invoke-AwsKmsAs AKIAADMIN admin-secret 'retire-grant', '--grant-token', $created.Output.GrantToken).ExitCode | Should -Be 0
        $retired = Invoke-AwsKmsAs AKIAAPP app-secret 'encrypt', '--key-id', $key.KeyId, '--plaintext', 'aGk=', '--encryption-context', 'app=billing'
        $retired.Error | Should -Match 'AccessDeniedException'
    }

    It 'refuses a principal that is not a principal ARN, and starts nothing' {
        $failure = Get-Failure { Start-KmsServer -Principal @{ AKIAX = 'bob' } -ErrorAction Stop }
        $failure.Exception.Message | Should -BeLike "The principal 'bob' of access key id 'AKIAX' is not an IAM principal ARN*"
        @(Get-KmsServer).Count | Should -Be 1
    }
}

Describe 'Who is calling: key policies and grants enforced for a named caller' {
    BeforeAll {
        function Invoke-As([string] $Principal, [scriptblock] $Block) {
            # The caller the cmdlets act for, as a script sets it; restored whatever happens.
            $saved = $env:KMSTOOLS_CALLER_PRINCIPAL
            $env:KMSTOOLS_CALLER_PRINCIPAL = $Principal
            try { & $Block } finally { $env:KMSTOOLS_CALLER_PRINCIPAL = $saved }
        }
        function Get-Denial([string] $Operation, [string] $Principal, [string] $Arn, [switch] $Explicit) {
            $why = if ($Explicit) { 'with an explicit deny in a resource-based policy' } else { "because no resource-based policy allows the kms:$Operation action" }
            "User: $Principal is not authorized to perform: kms:$Operation on resource: $Arn $why"
        }
        # Admin administers the key; App may encrypt and decrypt for app=billing only.
        $script:Guarded = New-KmsKey -Description 'guarded' -BypassPolicyLockoutSafetyCheck -Policy (New-PolicyText @(
            @{ Sid = 'Admin'; Effect = 'Allow'; Principal = @{ AWS = $Admin }; Action = 'kms:*'; Resource = '*' }
            @{ Sid = 'App'; Effect = 'Allow'; Principal = @{ AWS = $App }; Action = @('kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'); Resource = '*'
               Condition = @{ StringEquals = @{ 'kms:EncryptionContext:app' = 'billing' } } }
        ))
        $script:Other = 'arn:aws:iam::111122223333:role/other'
    }

    It 'the default: the account root, allowed everything on a key with the default policy' {
        $key = New-KmsKey
        $sealed = Invoke-KmsEncrypt $key.KeyId -PlaintextString 'root'
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'root'
    }

    It 'the default policy lets every principal of the account in, and no other account''s' {
        $key = New-KmsKey
        Invoke-As $App { (Invoke-KmsEncrypt $key.KeyId -PlaintextString 'app').KeyId | Should -BeExactly $key.Arn }
        $stranger = 'arn:aws:iam::444455556666:role/app'
        Invoke-As $stranger {
            $failure = Get-Failure { Invoke-KmsEncrypt $key.KeyId -PlaintextString 'x' -ErrorAction Stop }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'AccessDeniedException,KmsTools.Commands.InvokeKmsEncryptCommand'
            $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $failure.Exception.Message | Should -BeExactly (Get-Denial Encrypt $stranger $key.Arn)
        }
    }

    It 'allow: the policy lets App encrypt and decrypt with its encryption context' {
        Invoke-As $App {
            $sealed = Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'billing' -EncryptionContext @{ app = 'billing' }
            Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ app = 'billing' } -AsString | Should -BeExactly 'billing'
        }
    }

    It 'not allowed: another context, another operation, another principal' {
        Invoke-As $App {
            (Get-Failure { Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -EncryptionContext @{ app = 'other' } -ErrorAction Stop }).Exception.Message |
                Should -BeExactly (Get-Denial Encrypt $App $Guarded.Arn)
            $failure = Get-Failure { New-KmsDataKey $Guarded.KeyId -KeySpec AES_256 -EncryptionContext @{ app = 'billing' } -ErrorAction Stop }
            $failure.FullyQualifiedErrorId | Should -BeExactly 'AccessDeniedException,KmsTools.Commands.NewKmsDataKeyCommand'
            $failure.Exception.Message | Should -BeExactly (Get-Denial GenerateDataKey $App $Guarded.Arn)
            (Get-Failure { Disable-KmsKey $Guarded.KeyId -ErrorAction Stop }).Exception.Message | Should -BeExactly (Get-Denial DisableKey $App $Guarded.Arn)
            (Get-Failure { Write-KmsKeyPolicy $Guarded.KeyId $RootOnly -Confirm:$false -ErrorAction Stop }).Exception.Message | Should -BeExactly (Get-Denial PutKeyPolicy $App $Guarded.Arn)
        }
        Invoke-As $Other {
            (Get-Failure { Get-KmsKey $Guarded.KeyId -ErrorAction Stop }).Exception.Message | Should -BeExactly (Get-Denial DescribeKey $Other $Guarded.Arn)
        }
        (Invoke-As $Admin { Get-KmsKey $Guarded.KeyId }).KeyState | Should -BeExactly 'Enabled' -Because 'nothing was changed'
    }

    It 'a denied request with -DryRun is AccessDeniedException, not DryRunOperationException' {
        Invoke-As $Other {
            (Get-Failure { Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -DryRun -ErrorAction Stop }).FullyQualifiedErrorId |
                Should -BeExactly 'AccessDeniedException,KmsTools.Commands.InvokeKmsEncryptCommand'
        }
    }

    It 'deny: an explicit deny wins over an allow' {
        $key = New-KmsKey -Policy (New-PolicyText @(
            @{ Sid = 'All'; Effect = 'Allow'; Principal = @{ AWS = '111122223333' }; Action = 'kms:*'; Resource = '*' }
            @{ Sid = 'NoAppDecrypt'; Effect = 'Deny'; Principal = @{ AWS = $App }; Action = 'kms:Decrypt'; Resource = '*' }
        ))
        $sealed = Invoke-As $App { Invoke-KmsEncrypt $key.KeyId -PlaintextString 'sealed by app' }
        Invoke-As $App {
            $failure = Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -ErrorAction Stop }
            $failure.Exception.Message | Should -BeExactly (Get-Denial Decrypt $App $key.Arn -Explicit)
        }
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -AsString | Should -BeExactly 'sealed by app'
    }

    It 'grant-allowed: a grant lets Other do what the policy does not, a role session too' {
        $grant = Invoke-As $Admin { New-KmsGrant $Guarded.KeyId $Other Encrypt, Decrypt -EncryptionContextSubset @{ team = 'ops' } }
        try {
            Invoke-As $Other {
                $sealed = Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'granted' -EncryptionContext @{ team = 'ops'; extra = 'ok' } -GrantToken $grant.GrantToken
                Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ team = 'ops'; extra = 'ok' } -AsString | Should -BeExactly 'granted'
            }
            Invoke-As 'arn:aws:sts::111122223333:assumed-role/other/session-7' {
                (Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'session' -EncryptionContext @{ team = 'ops' }).KeyId | Should -BeExactly $Guarded.Arn
            }
        }
        finally { Invoke-As $Admin { $grant | Disable-KmsGrant -Confirm:$false -ErrorAction Stop } }
    }

    It 'grant-constraint-refused: a context that does not meet the grant''s constraint' {
        $grant = Invoke-As $Admin { New-KmsGrant $Guarded.KeyId $Other Encrypt -EncryptionContextEquals @{ team = 'ops' } }
        try {
            Invoke-As $Other {
                (Get-Failure { Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -EncryptionContext @{ team = 'ops'; more = '1' } -ErrorAction Stop }).Exception.Message |
                    Should -BeExactly (Get-Denial Encrypt $Other $Guarded.Arn)
                (Get-Failure { Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -ErrorAction Stop }).FullyQualifiedErrorId |
                    Should -BeExactly 'AccessDeniedException,KmsTools.Commands.InvokeKmsEncryptCommand'
                (Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -EncryptionContext @{ team = 'ops' }).KeyId | Should -BeExactly $Guarded.Arn
            }
        }
        finally { Invoke-As $Admin { $grant | Disable-KmsGrant -Confirm:$false -ErrorAction Stop } }
    }

    It 'retired-grant-refused: once retired (by its retiring principal), the grant allows nothing' {
        $retirer = 'arn:aws:iam::111122223333:role/retirer'
        $grant = Invoke-As $Admin { New-KmsGrant $Guarded.KeyId $Other Encrypt -RetiringPrincipal $retirer }
        Invoke-As $Other { (Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x').KeyId | Should -BeExactly $Guarded.Arn }
        Invoke-As $App {
            (Get-Failure { $grant | Disable-KmsGrant -Confirm:$false -ErrorAction Stop }).Exception.Message | Should -BeExactly (Get-Denial RetireGrant $App $Guarded.Arn)
        }
        Invoke-As $retirer { $grant | Disable-KmsGrant -Confirm:$false }
        Invoke-As $Other {
            (Get-Failure { Invoke-KmsEncrypt $Guarded.KeyId -PlaintextString 'x' -GrantToken $grant.GrantToken -ErrorAction Stop }).Exception.Message |
                Should -BeExactly (Get-Denial Encrypt $Other $Guarded.Arn)
        }
    }

    It 'a grantee may not grant or list grants unless a grant or the policy says so' {
        $grant = Invoke-As $Admin { New-KmsGrant $Guarded.KeyId $Other Encrypt, CreateGrant }
        try {
            Invoke-As $Other {
                (Get-Failure { Get-KmsGrant $Guarded.KeyId -ErrorAction Stop }).Exception.Message | Should -BeExactly (Get-Denial ListGrants $Other $Guarded.Arn)
                $second = New-KmsGrant $Guarded.KeyId $App Encrypt
                $second.GrantId | Should -Match '^[0-9a-f]{64}$'
            }
        }
        finally { Invoke-As $Admin { Get-KmsGrant $Guarded.KeyId | Revoke-KmsGrant -Confirm:$false } }
    }

    It 'the lockout safety check is made for the caller' {
        $key = New-KmsKey
        $adminOnly = New-PolicyText @(@{ Effect = 'Allow'; Principal = @{ AWS = $Admin }; Action = 'kms:*'; Resource = '*' })
        (Get-Failure { Write-KmsKeyPolicy $key.KeyId $adminOnly -Confirm:$false -ErrorAction Stop }).FullyQualifiedErrorId |
            Should -BeExactly 'MalformedPolicyDocumentException,KmsTools.Commands.WriteKmsKeyPolicyCommand'
        Invoke-As $Admin { Write-KmsKeyPolicy $key.KeyId $adminOnly -Confirm:$false }
        Get-KmsKeyPolicy -KeyId $key.KeyId -ErrorAction SilentlyContinue -ErrorVariable denied | Should -BeNullOrEmpty
        $denied[0].FullyQualifiedErrorId | Should -BeExactly 'AccessDeniedException,KmsTools.Commands.GetKmsKeyPolicyCommand'
    }

    It 'a caller that is not a principal ARN is a clear error' {
        Invoke-As 'bob' {
            $failure = Get-Failure { Get-KmsKey -ErrorAction Stop }
            $failure.Exception.Message | Should -Match "The caller principal 'bob' is not an IAM principal ARN .+ check \`$env:KMSTOOLS_CALLER_PRINCIPAL\."
        }
    }
}
