BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Writer = Join-Path $PSScriptRoot 'workers/StoreWriter.ps1'
    $script:Logs = Join-Path $StoreHome 'logs'
    New-Item -ItemType Directory -Path $Logs -Force | Out-Null

    function Read-Acknowledged([string] $Path) {
        # Only whole lines count: a killed writer may leave half a line.
        Get-Content $Path | Where-Object { $_ -match '^[0-9a-f-]{36} alias/w\d+-\d+$' } | ForEach-Object {
            $parts = $_ -split ' '; [pscustomobject]@{ KeyId = $parts[0]; Alias = $parts[1] } }
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Several processes share one store' {
    BeforeAll {
        $script:Shared = New-KmsKey -Description 'shared by the writers'
        $script:BlobBefore = (New-KmsDataKeyPairWithoutPlaintext $Shared.KeyId ECC_NIST_P256).PrivateKeyCiphertextBlob
        $processes = 1..4 | ForEach-Object {
            Start-TestPwsh -ScriptPath $Writer -Arguments @('-ModulePath', $ModuleManifest, '-Worker', $_, '-SharedKeyId', $Shared.KeyId, '-Count', 100) `
                -StdOut (Join-Path $Logs "w$_.out") -StdErr (Join-Path $Logs "w$_.err")
        }
        foreach ($process in $processes) {
            if (-not $process.WaitForExit(300000)) { $process.Kill(); throw "writer $($process.Id) did not finish in 5 minutes" }
        }
        $script:ExitCodes = $processes | ForEach-Object { $_.ExitCode }
        $script:Acknowledged = 1..4 | ForEach-Object { Read-Acknowledged (Join-Path $Logs "w$_.out") }
    }

    It 'all four writers finish cleanly' {
        $ExitCodes | Should -Be @(0, 0, 0, 0)
        1..4 | ForEach-Object { Get-Content (Join-Path $Logs "w$_.err") -Raw | Should -BeNullOrEmpty }
        $Acknowledged.Count | Should -Be 400
    }

    It 'loses no key and no alias' {
        $keys = @(Get-KmsKey)
        $keys.Count | Should -Be 401
        $aliases = @{}
        Get-KmsAlias | ForEach-Object { $aliases[$_.AliasName] = $_.TargetKeyId }
        foreach ($item in $Acknowledged) {
            $aliases[$item.Alias] | Should -BeExactly $item.KeyId
        }
    }

    It 'gives the contested alias to exactly one writer' {
        @(Get-KmsAlias | Where-Object AliasName -eq 'alias/shared').Count | Should -Be 1
        (Get-KmsKey alias/shared).KeyId | Should -BeIn $Acknowledged.KeyId
    }

    It 'loses no update of the shared key (20 rotations, 48 tags, 24 grants)' {
        @(Get-KmsKeyRotation $Shared.KeyId).Count | Should -Be 20
        @(Get-KmsResourceTag $Shared.KeyId).Count | Should -Be 48
        $grants = @(Get-KmsGrant $Shared.KeyId)
        $grants.Count | Should -Be 24
        @($grants.GrantId | Sort-Object -Unique).Count | Should -Be 24
        1..4 | ForEach-Object { @(Get-KmsGrant $Shared.KeyId -GranteePrincipal "arn:aws:iam::111122223333:role/w$_").Count | Should -Be 6 }
        (Invoke-KmsDecrypt -CiphertextBlob $BlobBefore).Plaintext.Length | Should -BeGreaterThan 0
        $after = New-KmsDataKeyPairWithoutPlaintext $Shared.KeyId ECC_NIST_P256
        $after.KeyMaterialId | Should -BeExactly (Get-KmsKeyRotation $Shared.KeyId | Select-Object -Last 1).KeyMaterialId
    }

    It 'leaves no torn or temporary file' {
        Get-ChildItem $StoreHome -Recurse -Filter '*.tmp' | Should -BeNullOrEmpty
        Get-ChildItem $KeysFolder -Filter '*.json' | ForEach-Object { { Get-Content $_.FullName -Raw | ConvertFrom-Json } | Should -Not -Throw }
    }
}

Describe 'Threads in one process share one store' {
    It 'ForEach-Object -Parallel creates keys and aliases without losing any' {
        $module = $ModuleManifest
        $made = 1..40 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:module
            $key = New-KmsKey -Description "thread $_"
            New-KmsAlias -AliasName "alias/t-$_" -TargetKeyId $key.KeyId
            [pscustomobject]@{ KeyId = $key.KeyId; Alias = "alias/t-$_" }
        }
        $made.Count | Should -Be 40
        foreach ($item in $made) { (Get-KmsKey $item.Alias).KeyId | Should -BeExactly $item.KeyId }
    }
}

Describe 'A writer killed mid-write' {
    It 'leaves a store that opens, with every acknowledged change present' {
        $shared = New-KmsKey -Description 'shared with the victim'
        $blob = (New-KmsDataKeyPairWithoutPlaintext $shared.KeyId ECC_NIST_P256 -EncryptionContext @{ crash = 'test' }).PrivateKeyCiphertextBlob
        $out = Join-Path $Logs 'victim.out'
        $victim = Start-TestPwsh -ScriptPath $Writer -Arguments @('-ModulePath', $ModuleManifest, '-Worker', 9, '-SharedKeyId', $shared.KeyId, '-Forever') `
            -StdOut $out -StdErr (Join-Path $Logs 'victim.err')
        $deadline = [datetime]::UtcNow.AddSeconds(120)
        while (@(Read-Acknowledged $out).Count -lt 45 -and [datetime]::UtcNow -lt $deadline -and -not $victim.HasExited) { Start-Sleep -Milliseconds 50 }
        $victim.HasExited | Should -BeFalse -Because 'the writer must still be writing when it is killed'
        $victim.Kill()   # SIGKILL: no cleanup, no finally blocks
        $victim.WaitForExit()

        $acknowledged = @(Read-Acknowledged $out)
        $acknowledged.Count | Should -BeGreaterOrEqual 45
        foreach ($item in $acknowledged) {
            (Get-KmsKey $item.Alias -ErrorAction Stop).KeyId | Should -BeExactly $item.KeyId
        }
        { Get-KmsKey -ErrorAction Stop | Out-Null } | Should -Not -Throw
        { Get-KmsAlias -ErrorAction Stop | Out-Null } | Should -Not -Throw
        @(Get-KmsKeyRotation $shared.KeyId).Count | Should -Be 5
        (Invoke-KmsDecrypt -CiphertextBlob $blob -EncryptionContext @{ crash = 'test' }).Plaintext.Length | Should -BeGreaterThan 0
        New-KmsDataKeyPairWithoutPlaintext $shared.KeyId ECC_NIST_P256 | Invoke-KmsDecrypt | Should -Not -BeNullOrEmpty
        # The lock the victim held died with it.
        Invoke-KmsKeyRotation $shared.KeyId | Should -Not -BeNullOrEmpty
    }
}
