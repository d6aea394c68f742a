# Findings of the adversarial pass (issue 11), each with the attempt that broke and the answer it gets now.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Key = New-KmsKey -Description 'hardening'
    # Inputs live outside the store: Get-StoreSnapshot hashes every store file, and a FIFO would block it.
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-inputs-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work -Force
    $script:IsUnix = -not $IsWindows

}

AfterAll {
    Remove-Item $script:StoreHome, $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-CliInputJson and contexts' {
    It '#10 a plaintext in a -CliInputJson type error is never echoed; long values are cut in every error' {
        $failure = Get-Failure { Invoke-KmsEncrypt -CliInputJson '{"KeyId":"alias/x","Plaintext":{"password":"hunter2"}}' -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
        $failure.Exception.Message | Should -Not -Match 'hunter2'
        $failure.Exception.Message | Should -Match 'Plaintext, value: \(sensitive, not shown\)'
        $long = Get-Failure { New-KmsKey -Description ('d' * 20000) -ErrorAction Stop }
        $long.Exception.Message.Length | Should -BeLessThan 600
        $long.Exception.Message | Should -Match '\(20000 characters\)'
        $typed = Get-Failure { New-KmsKey -CliInputJson ('{"Description": [' + ('1,' * 5000) + '1]}') -ErrorAction Stop }
        $typed.Exception.Message.Length | Should -BeLessThan 600
    }

    It '#11 numbers out of range are ValidationExceptions for that item, and the pipeline goes on' {
        $outcomes = foreach ($number in '99999999999999999999', '2147483648', '32') {
            try { (New-KmsDataKey -KeyId $Key.KeyId -CliInputJson "{`"NumberOfBytes`": $number}" -ErrorAction Stop).PlaintextLength }
            catch { $_.FullyQualifiedErrorId -replace ',.*' }
        }
        $outcomes | Should -Be @('ValidationException', 'ValidationException', 32)
        (Get-Failure { New-KmsDataKey -KeyId $Key.KeyId -CliInputJson '{"NumberOfBytes": 99999999999999999999}' -ErrorAction Stop }).Exception.Message |
            Should -Match 'valid range: -2147483648 to 2147483647'
    }

    It '#11 documents and blob files are read no further than a limit, regular files only' -Skip:$IsWindows {
        $big = Join-Path $Work 'big.json'
        [IO.File]::WriteAllBytes($big, [byte[]]::new(2MB))
        (Get-Failure { New-KmsKey -CliInputJson "file://$big" -ErrorAction Stop }).Exception.Message | Should -Match 'longer than 1048576 bytes'
        (Get-Failure { New-KmsKey -CliInputJson 'file:///dev/zero' -ErrorAction Stop }).Exception.Message | Should -Match 'not a regular file'
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob (Get-Item /dev/zero) -ErrorAction Stop }).Exception.Message | Should -Match 'not a regular file'
        $bigBlob = Join-Path $Work 'big.bin'
        [IO.File]::WriteAllBytes($bigBlob, [byte[]]::new(300KB))
        (Get-Failure { Invoke-KmsDecrypt -CiphertextBlob (Get-Item $bigBlob) -ErrorAction Stop }).Exception.Message | Should -Match 'at most 65536'
    }

    It '#11 a FIFO is refused, not waited on' -Skip:($IsWindows -or -not (Get-Command mkfifo -ErrorAction SilentlyContinue)) {
        $fifo = Join-Path $Work 'input.fifo'
        & mkfifo $fifo
        $probe = Join-Path $Work 'fifo-probe.ps1'
        Set-Content -Path $probe -Value @"
Import-Module '$ModuleManifest'
try { New-KmsKey -CliInputJson 'file://$fifo' -ErrorAction Stop; 'no error' } catch { `$_.Exception.Message }
"@
        $process = Start-TestPwsh -ScriptPath $probe -StdOut (Join-Path $Work 'fifo.out') -StdErr (Join-Path $Work 'fifo.err')
        $exited = $process.WaitForExit(60000)
        if (-not $exited) { $process.Kill() }
        $exited | Should -BeTrue -Because 'opening a FIFO must not block'
        Get-Content (Join-Path $Work 'fifo.out') -Raw | Should -Match 'not a regular file'
        Remove-Item $fifo
    }

    It '#12 JSON is parsed strictly: <Case>' -ForEach @(
        @{ Case = 'text after the document'; Json = '{"Description": "a"} x'; Reason = 'there is text after the JSON object' }
        @{ Case = 'a second object'; Json = '{"Description": "a"}{"Description": "b"}'; Reason = 'there is text after the JSON object' }
        @{ Case = 'a member given twice'; Json = '{"Description": "a", "Description": "b"}'; Reason = 'the member "Description" is given twice' }
        @{ Case = 'a comment'; Json = '{"Description": /* c */ "a"}'; Reason = 'comments are not JSON' }
        @{ Case = 'single quotes'; Json = "{'Description': 'a'}"; Reason = 'a member name in double quotes is expected' }
        @{ Case = 'a trailing comma'; Json = '{"Description": "a",}'; Reason = "a comma before '}' is not JSON" }
    ) {
        $before = Get-StoreSnapshot
        $failure = Get-Failure { New-KmsKey -CliInputJson $Json -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
        $failure.Exception.Message | Should -Match ([regex]::Escape($Reason))
        Get-StoreSnapshot | Should -BeExactly $before
    }

    It '#12 invalid UTF-8 in a document file, and duplicate keys in a JSON context, are errors' {
        $file = Join-Path $Work 'latin1.json'
        [IO.File]::WriteAllBytes($file, [byte[]](0x7B, 0x22, 0x44, 0x65, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74, 0x69, 0x6F, 0x6E, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D))
        (Get-Failure { New-KmsKey -CliInputJson "file://$file" -ErrorAction Stop }).Exception.Message | Should -Match 'not valid UTF-8'
        (Get-Failure { Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString x -EncryptionContext '{"a":"1","a":"2"}' -ErrorAction Stop }).Exception.Message |
            Should -Match 'the member "a" is given twice'
    }

    It '#9 a relative file:// path resolves against the current location' {
        Push-Location $Work
        try {
            Set-Content -Path (Join-Path $Work 'relative.json') -Value '{"NumberOfBytes": 24}'
            (New-KmsDataKey -KeyId $Key.KeyId -CliInputJson 'file://relative.json').PlaintextLength | Should -Be 24
        } finally { Pop-Location }
    }

    It '#13 a context with a lone surrogate is refused, so it cannot open a blob made with U+FFFD' {
        $blob = Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString 'aad' -EncryptionContext @{ k = "x$([char]0xFFFD)y" }
        $failure = Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $blob.CiphertextBlob -EncryptionContext @{ k = "x$([char]0xD800)y" } -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
        $failure.Exception.Message | Should -Match 'lone surrogate'
        (Get-Failure { Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString x -EncryptionContext @{ "k$([char]0xDC00)" = 'v' } -ErrorAction Stop }).Exception.Message | Should -Match 'lone surrogate'
        # A well-formed pair of surrogates (an emoji) is text like any other.
        $emoji = "$([char]0xD83D)$([char]0xDE00)"
        (Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString ok -EncryptionContext @{ k = $emoji } | Invoke-KmsDecrypt).PlaintextLength | Should -Be 2
    }

    It '#13 a context that takes more than 65535 bytes serialized is refused by every cmdlet that takes one; 65535 works' {
        # 2 bytes of count, 2 + 1 for the key 'k', 2 + n for the value: n = 65528 fills the bound exactly.
        $full = @{ k = 'v' * 65528 }
        $over = @{ k = 'v' * 65529 }
        $blob = Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString 'fits' -EncryptionContext $full
        ($blob | Invoke-KmsDecrypt -EncryptionContext $full -AsString) | Should -BeExactly 'fits'
        $before = Get-StoreSnapshot
        $failures = @(
            Get-Failure { Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString 'x' -EncryptionContext $over -ErrorAction Stop }
            Get-Failure { Invoke-KmsDecrypt -CiphertextBlob $blob.CiphertextBlob -EncryptionContext $over -ErrorAction Stop }
            Get-Failure { New-KmsDataKey -KeyId $Key.KeyId -KeySpec AES_256 -EncryptionContext $over -ErrorAction Stop }
            Get-Failure { New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec ECC_NIST_P256 -EncryptionContext $over -ErrorAction Stop }
            Get-Failure { 'x' | Protect-KmsData -KeyId $Key.KeyId -EncryptionContext $over -ErrorAction Stop }
        )
        foreach ($failure in $failures) {
            $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
            $failure.Exception.Message | Should -Match 'takes 65536 bytes serialized; at most 65535 are accepted'
            $failure.Exception.Message.Length | Should -BeLessThan 600
        }
        Get-StoreSnapshot | Should -Be $before
        # The message format's own bound counts the signing key's entry it adds: the full context fits an unsigned message.
        $message = 'x' | Protect-KmsData -KeyId $Key.KeyId -EncryptionContext $full -Algorithm ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY
        ($message | Unprotect-KmsData -AsString) | Should -BeExactly 'x'
        (Get-Failure { 'x' | Protect-KmsData -KeyId $Key.KeyId -EncryptionContext $full -ErrorAction Stop }).Exception.Message | Should -Match 'bytes serialized; at most 65535'
    }

    It '#14 a string to -Plaintext is refused, whatever it looks like, and nothing is encrypted' {
        foreach ($word in 'password', 'c2VjcmV0', 'secret words!') {
            $failure = Get-Failure { Invoke-KmsEncrypt -KeyId $Key.KeyId -Plaintext $word -ErrorAction Stop }
            $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
            $failure.Exception.Message | Should -Match 'use -PlaintextString'
            $failure.Exception.Message | Should -Not -Match ([regex]::Escape($word))
        }
    }

    It '#15 results survive ConvertTo-Json and ConvertFrom-Json, and a [pscustomobject] is a context' {
        $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $Key.KeyId -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ purpose = 'backup' }
        $private = $pair | ConvertTo-Json | ConvertFrom-Json | Invoke-KmsDecrypt
        $private.PlaintextLength | Should -BeGreaterThan 100
        $sealed = Invoke-KmsEncrypt -KeyId $Key.KeyId -PlaintextString 'custom' -EncryptionContext ([pscustomobject]@{ purpose = 'backup' })
        [Text.Encoding]::UTF8.GetString((Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -EncryptionContext @{ purpose = 'backup' }).Plaintext) | Should -BeExactly 'custom'
    }
}

Describe 'The first hour' {
    It '#20 -Debug alone works non-interactively: verbose lines go to the debug stream instead of prompting' {
        $probe = Join-Path $Work 'debug-probe.ps1'
        Set-Content -Path $probe -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$key = New-KmsKey -Description debug -Debug
`$null = Get-KmsKey -Debug
`$null = New-KmsDataKeyPairWithoutPlaintext -KeyId `$key.KeyId -KeyPairSpec ECC_NIST_P256 -Debug
'all done'
"@
        $out = Join-Path $Work 'debug.out'; $err = Join-Path $Work 'debug.err'
        $process = Start-TestPwsh -ScriptPath $probe -StdOut $out -StdErr $err
        if (-not $process.WaitForExit(120000)) { $process.Kill() }
        $process.ExitCode | Should -Be 0 -Because (Get-Content $err -Raw)
        $printed = Get-Content $out -Raw
        $printed | Should -Match 'all done'
        $printed | Should -Match 'DEBUG: CreateKey: calling the local KMS engine'
        "$printed $(Get-Content $err -Raw)" | Should -Not -Match 'NonInteractive mode'
    }

    It '#19 the test run prints no "What if:" lines: every -WhatIf call in the tests goes through Invoke-WhatIf' {
        # PowerShell writes What-if text to the host itself, where it reads like actions taken; Invoke-WhatIf runs
        # the call in a runspace without a host UI. A direct -WhatIf in a test file brings the noise back.
        $direct = Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1' | Select-String -Pattern '^\s*(?!#)\S.*\s-WhatIf\b' |
            Where-Object { $_.Line -notmatch "Parameters\.ContainsKey\('WhatIf'\)|It '|Describe '" }
        $direct | ForEach-Object { "$($_.Filename):$($_.LineNumber): $($_.Line.Trim())" } | Should -BeNullOrEmpty
        # And the helper really keeps the text off the console: a child pwsh's whole output holds none.
        $probe = Join-Path $Work 'whatif-probe.ps1'
        Set-Content -Path $probe -Value @"
. '$(Join-Path $PSScriptRoot 'TestSetup.ps1')'
`$key = New-KmsKey -Description whatif
Invoke-WhatIf Disable-KmsKey @{ KeyId = `$key.KeyId }
(Get-KmsKey -KeyId `$key.KeyId).KeyState
"@
        $out = Join-Path $Work 'whatif.out'; $err = Join-Path $Work 'whatif.err'
        $process = Start-TestPwsh -ScriptPath $probe -StdOut $out -StdErr $err
        if (-not $process.WaitForExit(120000)) { $process.Kill() }
        $printed = Get-Content $out -Raw
        $printed.Trim() | Should -BeExactly 'Enabled'
        $printed | Should -Not -Match 'What if:'
    }
}

Describe 'The local store' {
    It '#6 a key file that cannot be read is a KMS error naming it, for that item only' {
        $broken = New-KmsKey -Description 'material is a folder'
        $good = New-KmsKey -Description 'fine'
        $material = Join-Path $KeysFolder "$($broken.KeyId).key"
        Remove-Item $material
        $null = New-Item -ItemType Directory -Path $material
        try {
            $results = @($broken.KeyId, $good.KeyId | New-KmsDataKey -KeySpec AES_256 -ErrorAction SilentlyContinue -ErrorVariable failures)
            $results.Count | Should -Be 1
            $results[0].KeyId | Should -Match $good.KeyId
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'KMSInternalException,*'
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("'$material' cannot be read"))
        } finally { Remove-Item $material -Force }
    }

    It '#6 KMSTOOLS_HOME pointing at a file is a KMS error that says so, for listing and creating alike' {
        $file = Join-Path $Work 'not-a-folder'
        Set-Content -Path $file -Value 'x'
        $saved = $env:KMSTOOLS_HOME
        try {
            $env:KMSTOOLS_HOME = $file
            foreach ($command in { Get-KmsKey -ErrorAction Stop }, { New-KmsKey -ErrorAction Stop }) {
                $failure = Get-Failure $command
                $failure.FullyQualifiedErrorId | Should -BeLike 'KMSInternalException,*'
                $failure.Exception.Message | Should -Match ([regex]::Escape("'$file' is a file"))
            }
        } finally { $env:KMSTOOLS_HOME = $saved }
    }
    It '#4 on a read-only store, a due rotation and a due purge are deferred: Decrypt works, the purged key is gone' -Skip:$IsWindows {
        # A store of its own, mounted read-only in a private mount namespace (unshare -rm: no root needed).
        $roHome = Join-Path $Work 'readonly-home'
        $null = New-Item -ItemType Directory -Path $roHome -Force
        $saved = $env:KMSTOOLS_HOME
        try {
            $env:KMSTOOLS_HOME = $roHome
            $rotating = New-KmsKey -Description 'rotation due'
            Enable-KmsKeyRotation -KeyId $rotating.KeyId
            $blob = Invoke-KmsEncrypt -KeyId $rotating.KeyId -PlaintextString 'old blob'
            $doomed = New-KmsKey -Description 'purge due'
            $null = Request-KmsKeyDeletion -KeyId $doomed.KeyId -PendingWindowInDays 7 -Confirm:$false
        } finally { $env:KMSTOOLS_HOME = $saved }
        $keys = Join-Path $roHome 'store-v1/111122223333/us-east-1/keys'
        foreach ($change in @(@($rotating.KeyId, 'NextRotationDate'), @($doomed.KeyId, 'DeletionDate'))) {
            $path = Join-Path $keys "$($change[0]).json"
            $record = Get-Content $path -Raw | ConvertFrom-Json
            $record.($change[1]) = [datetime]::UtcNow.AddMinutes(-1).ToString('o')
            $record | ConvertTo-Json -Depth 5 | Set-Content $path
        }
        $before = (Get-ChildItem $roHome -Recurse -File | Sort-Object FullName | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" }) -join "`n"
        $blobFile = Join-Path $Work 'readonly.blob'
        [IO.File]::WriteAllBytes($blobFile, $blob.CiphertextBlob)
        $probe = Join-Path $Work 'readonly-probe.ps1'
        Set-Content -Path $probe -Value @"
`$env:KMSTOOLS_HOME = '$roHome'
Import-Module '$ModuleManifest'
try { 'probe: ' + (New-Item -ItemType File -Path '$roHome/probe' -ErrorAction Stop).Name } catch { 'probe: read-only' }
try { 'decrypt: ' + [Text.Encoding]::UTF8.GetString((Invoke-KmsDecrypt -CiphertextBlob ([IO.File]::ReadAllBytes('$blobFile')) -ErrorAction Stop).Plaintext) } catch { 'decrypt: ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }
try { Get-KmsKey -KeyId '$($doomed.KeyId)' -ErrorAction Stop; 'doomed: still there' } catch { 'doomed: ' + (`$_.FullyQualifiedErrorId -replace ',.*') }
'listed: ' + ((Get-KmsKey).KeyId -join ',')
"@
        $exe = [Environment]::ProcessPath
        $pwshArgs = @('-NoProfile', '-NonInteractive', '-File', $probe)
        if ((Split-Path $exe -Leaf) -match '^dotnet$') { $pwshArgs = @((Join-Path $PSHOME 'pwsh.dll')) + $pwshArgs }
        $command = "mount --bind -o ro '$roHome' '$roHome' && exec '$exe' " + (($pwshArgs | ForEach-Object { "'$_'" }) -join ' ')
        $out = & unshare -rm sh -c $command 2>&1
        if ($LASTEXITCODE -ne 0 -and -not ($out -match '^decrypt: ')) {
            Set-ItResult -Skipped -Because "a read-only mount needs unshare -rm (user and mount namespaces), which failed here: $out"
            return
        }
        $out | Should -Contain 'probe: read-only' -Because 'the store must really be read-only for this test'
        $out | Should -Contain 'decrypt: old blob'
        $out | Should -Contain 'doomed: NotFoundException'
        ($out | Where-Object { $_ -like 'listed: *' }) | Should -BeExactly "listed: $($rotating.KeyId)"
        $after = (Get-ChildItem $roHome -Recurse -File | Sort-Object FullName | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" }) -join "`n"
        $after | Should -BeExactly $before
        # Writable again, the deferred work is done on the next read.
        $env:KMSTOOLS_HOME = $roHome
        try {
            (Get-KmsKeyRotation -KeyId $rotating.KeyId).Count | Should -Be 1
            Test-Path (Join-Path $keys "$($doomed.KeyId).json") | Should -BeTrue
            { Get-KmsKey -KeyId $doomed.KeyId -ErrorAction Stop } | Should -Throw -ErrorId 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
            Test-Path (Join-Path $keys "$($doomed.KeyId).json") | Should -BeFalse
        } finally { $env:KMSTOOLS_HOME = $saved }
    }
}

Describe 'Completion' {
    BeforeAll {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }
        $script:Completed = New-KmsKey -Description 'completion target'
        New-KmsAlias -AliasName alias/complete-me -TargetKeyId $Completed.KeyId
    }

    It '#21 alias parameters complete alias names only, with the key each names' {
        foreach ($line in 'Remove-KmsAlias -AliasName alias/compl', 'Update-KmsAlias -AliasName alias/compl') {
            $found = @(Complete $line)
            $found.CompletionText | Should -Be @('alias/complete-me')
            $found[0].ToolTip | Should -BeExactly "-> $($Completed.KeyId)"
        }
        @(Complete "Remove-KmsAlias -AliasName $($Completed.KeyId.Substring(0, 8))").Count | Should -Be 0 -Because 'key ids are not alias names'
    }

    It '#21 key ids complete with a tooltip of state, spec and description' {
        $match = @(Complete "Get-KmsKey -KeyId $($Completed.KeyId.Substring(0, 8))") | Where-Object CompletionText -eq $Completed.KeyId
        $match.ToolTip | Should -BeExactly 'Enabled, SYMMETRIC_DEFAULT ENCRYPT_DECRYPT - completion target'
    }

    It '#21 -Region completes Regions and -Profile the profiles of the AWS files' {
        (Complete 'Get-KmsKey -Region eu-west-').CompletionText | Should -Contain 'eu-west-1'
        (Complete 'Get-KmsKey -Region eu-west-').CompletionText | Should -Not -Contain 'us-east-1'
        $config = Join-Path $Work 'aws-config'; $credentials = Join-Path $Work 'aws-credentials'
        Set-Content $config "[default]`nregion = us-east-1`n[profile prod-admin]`nregion = eu-west-1"
        Set-Content $credentials "[ci-runner]`naws_access_key_id = x"
        $saved = $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE
        try {
            $env:AWS_CONFIG_FILE = $config; $env:AWS_SHARED_CREDENTIALS_FILE = $credentials
            (Complete 'Get-KmsKey -Profile ').CompletionText | Should -Be @('ci-runner', 'default', 'prod-admin')
        } finally { $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE = $saved }
    }
}

Describe 'The remote backend' {
    It '#18 user:password in -EndpointUrl never shows in -Verbose, -Debug, errors or their targets' {
        $env:AWS_ACCESS_KEY_ID = 'testing'; $env:AWS_SECRET_ACCESS_KEY = 'testing'
        try {
            $records = & {
                $DebugPreference = 'Continue'
                Get-KmsKey -KeyId alias/x -EndpointUrl 'http://admin:hunter2@127.0.0.1:9/' -CliConnectTimeout 2 -Verbose -ErrorAction Continue
                New-KmsKey -EndpointUrl 'ftp://admin:hunter2@example.com/' -ErrorAction Continue
            } *>&1
            $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 2
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'EndpointConnectionError,*'
            $errors[1].FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
            $errors[1].Exception.Message | Should -Match ([regex]::Escape('ftp://***@example.com/'))
            $shown = ($records | ForEach-Object { "$_ $($_.TargetObject) $($_.Exception.Message)" }) -join "`n"
            $shown | Should -Match '127\.0\.0\.1:9' -Because 'the endpoint is still named'
            $shown | Should -Not -Match 'hunter2'
        } finally { Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue }
    }
}

Describe 'Views and conveniences (#22)' {
    BeforeAll {
        $script:ViewKey = New-KmsKey -Description 'views'
        $script:Zoned = '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d'
    }

    It 'every result type has a table view that shows lengths, never bytes: <Name>' -ForEach @(
        @{ Name = 'New-KmsDataKey'; Make = { New-KmsDataKey -KeyId $ViewKey.KeyId -KeySpec AES_256 }; Secret = 'Plaintext'; Columns = 'KeyId', 'Plaintext', 'CiphertextBlob' }
        @{ Name = 'New-KmsDataKeyPair'; Make = { New-KmsDataKeyPair -KeyId $ViewKey.KeyId -KeyPairSpec ECC_NIST_P256 }; Secret = 'PrivateKeyPlaintext'; Columns = 'KeyId', 'Spec', 'PublicKey', 'PrivateKey' }
        @{ Name = 'New-KmsDataKeyPairWithoutPlaintext'; Make = { New-KmsDataKeyPairWithoutPlaintext -KeyId $ViewKey.KeyId -KeyPairSpec ECC_NIST_P256 }; Secret = $null; Columns = 'KeyId', 'Spec', 'PublicKey' }
        @{ Name = 'New-KmsDataKeyWithoutPlaintext'; Make = { New-KmsDataKeyWithoutPlaintext -KeyId $ViewKey.KeyId -KeySpec AES_256 }; Secret = $null; Columns = 'KeyId', 'CiphertextBlob' }
        @{ Name = 'Invoke-KmsEncrypt'; Make = { Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'table' }; Secret = $null; Columns = 'KeyId', 'EncryptionAlgorithm', 'CiphertextBlob' }
        @{ Name = 'Invoke-KmsDecrypt'; Make = { Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'table' | Invoke-KmsDecrypt }; Secret = 'Plaintext'; Columns = 'KeyId', 'EncryptionAlgorithm', 'Plaintext' }
        @{ Name = 'Invoke-KmsReEncrypt'; Make = { Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'table' | Invoke-KmsReEncrypt -DestinationKeyId $ViewKey.KeyId }; Secret = $null; Columns = 'SourceKeyId', 'KeyId', 'CiphertextBlob' }
        @{ Name = 'Get-KmsRandom'; Make = { Get-KmsRandom -NumberOfBytes 48 }; Secret = 'Plaintext'; Columns = 'Plaintext' }
        @{ Name = 'Get-KmsPublicKey'; Make = { Get-KmsPublicKey -KeyId (New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY).KeyId }; Secret = $null; Columns = 'KeyId', 'KeySpec', 'KeyUsage', 'PublicKey' }
        @{ Name = 'Get-KmsKeyRotationStatus'; Make = { Get-KmsKeyRotationStatus -KeyId $ViewKey.KeyId }; Secret = $null; Columns = 'KeyId', 'KeyRotationEnabled'; NoBlobs = $true }
    ) {
        $result = & $Make
        $table = @($result, $result) | Format-Table | Out-String -Width 200
        $header = ($table -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1)
        foreach ($column in $Columns) { $header | Should -Match "\b$column\b" }
        if (-not $NoBlobs) { $table | Should -Match '\d+ bytes' }
        if ($Secret) {
            $table | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String($result.$Secret)))
            $table | Should -Not -Match ([regex]::Escape(($result.$Secret[0..3] -join ' ')))
        }
    }

    It 'shows every date with its zone, in one format, in tables and lists' {
        $doomed = New-KmsKey -Description 'dated'
        New-KmsAlias -AliasName 'alias/dated' -TargetKeyId $doomed.KeyId
        (Get-KmsAlias -AliasName 'dated' | Format-Table | Out-String -Width 200) | Should -Match $Zoned
        (Get-KmsKey -KeyId $doomed.KeyId | Format-List | Out-String) | Should -Match "CreationDate\s+: $Zoned"
        (Request-KmsKeyDeletion -KeyId $doomed.KeyId -PendingWindowInDays 7 -Confirm:$false | Out-String) | Should -Match "DeletionDate\s+: $Zoned"
        Enable-KmsKeyRotation -KeyId $ViewKey.KeyId
        (Get-KmsKeyRotationStatus -KeyId $ViewKey.KeyId | Out-String) | Should -Match "NextRotationDate\s+: $Zoned"
    }

    It '-PassThru writes the key or alias as it is after the change; without it nothing is written' {
        $key = New-KmsKey -Description 'before'
        Disable-KmsKey -KeyId $key.KeyId | Should -BeNullOrEmpty
        Enable-KmsKey -KeyId $key.KeyId
        $after = Disable-KmsKey -KeyId $key.KeyId -PassThru
        $after.PSObject.TypeNames[0] | Should -BeExactly 'KmsTools.Model.KeyMetadata'
        $after.KeyState | Should -BeExactly 'Disabled'
        (Enable-KmsKey -KeyId $key.KeyId -PassThru).KeyState | Should -BeExactly 'Enabled'
        (Update-KmsKeyDescription -KeyId $key.KeyId -Description 'after' -PassThru).Description | Should -BeExactly 'after'
        (Add-KmsResourceTag -KeyId $key.KeyId -Tag @{ team = 'ops' } -PassThru).KeyId | Should -BeExactly $key.KeyId
        (Remove-KmsResourceTag -KeyId $key.KeyId -TagKey team -PassThru).KeyId | Should -BeExactly $key.KeyId
        (Enable-KmsKeyRotation -KeyId $key.KeyId -PassThru).KeyId | Should -BeExactly $key.KeyId
        (Disable-KmsKeyRotation -KeyId $key.KeyId -PassThru).KeyId | Should -BeExactly $key.KeyId
        $other = New-KmsKey -Description 'other'
        New-KmsAlias -AliasName 'alias/passthru' -TargetKeyId $key.KeyId | Should -BeNullOrEmpty
        $moved = Update-KmsAlias -AliasName 'alias/passthru' -TargetKeyId $other.KeyId -PassThru
        $moved.PSObject.TypeNames[0] | Should -BeExactly 'KmsTools.Model.AliasListEntry'
        $moved.TargetKeyId | Should -BeExactly $other.KeyId
        (Get-Command Disable-KmsKey).OutputType.Name | Should -Contain 'KmsTools.Model.KeyMetadata'
    }

    It 'decrypts straight to text, a SecureString or a private file, and encrypts a SecureString' {
        $sealed = Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'straight to text é'
        $sealed | Invoke-KmsDecrypt -AsString | Should -BeExactly 'straight to text é'
        $secure = $sealed | Invoke-KmsDecrypt -AsSecureString
        $secure | Should -BeOfType ([securestring])
        [System.Net.NetworkCredential]::new('', $secure).Password | Should -BeExactly 'straight to text é'
        $again = Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextSecureString $secure
        $again | Invoke-KmsDecrypt -AsString | Should -BeExactly 'straight to text é'

        $file = Join-Path $Work 'plain.txt'
        $sealed | Invoke-KmsDecrypt -OutFile $file | Should -BeNullOrEmpty
        [IO.File]::ReadAllText($file) | Should -BeExactly 'straight to text é'
        if (-not $IsWindows) { (Get-Item $file).UnixMode | Should -BeExactly '-rw-------' }
        Get-ChildItem $Work -Filter 'plain.txt.*.tmp' | Should -BeNullOrEmpty
    }

    It 'refuses, per item and before decrypting, what cannot be delivered as asked; a failed -OutFile leaves no file' {
        $binary = Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -Plaintext ([byte[]](0xFF, 0xFE, 0x00, 0x80))
        $failure = Get-Failure { $binary | Invoke-KmsDecrypt -AsString -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
        $failure.Exception.Message | Should -Match 'not UTF-8 text'
        (Get-Failure { $binary | Invoke-KmsDecrypt -AsString -OutFile (Join-Path $Work 'x') -ErrorAction Stop }).Exception.Message | Should -Match 'Give one of'
        $missing = Join-Path $Work 'no-such-folder/plain.bin'
        $failure = Get-Failure { $binary | Invoke-KmsDecrypt -OutFile $missing -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeLike 'ValidationException,*'
        Test-Path (Split-Path $missing) | Should -BeFalse
        $two = @(Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'one'; Invoke-KmsEncrypt -KeyId $ViewKey.KeyId -PlaintextString 'two')
        $target = Join-Path $Work 'one.txt'
        $two | Invoke-KmsDecrypt -OutFile $target -ErrorAction SilentlyContinue -ErrorVariable errors
        [IO.File]::ReadAllText($target) | Should -BeExactly 'one'
        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match 'holds one plaintext'
    }

    It 'takes wildcards in Get-KmsKey -KeyId (id, ARN or alias) and Get-KmsAlias -AliasName' {
        $a = New-KmsKey -Description 'wild a'; $b = New-KmsKey -Description 'wild b'; $c = New-KmsKey -Description 'tame'
        New-KmsAlias -AliasName 'alias/wild-a' -TargetKeyId $a.KeyId
        New-KmsAlias -AliasName 'alias/wild-b' -TargetKeyId $b.KeyId
        New-KmsAlias -AliasName 'alias/tame' -TargetKeyId $c.KeyId
        @(Get-KmsKey -KeyId 'alias/wild-*').KeyId | Sort-Object | Should -Be (@($a.KeyId, $b.KeyId) | Sort-Object)
        @(Get-KmsKey -KeyId "$($c.KeyId.Substring(0, 8))*").KeyId | Should -Be @($c.KeyId)
        # Wildcards match as Get-ChildItem's do, whatever the case; an exact alias name stays case-sensitive, as in KMS.
        @(Get-KmsKey -KeyId 'ALIAS/TAM*').KeyId | Should -Be @($c.KeyId)
        @(Get-KmsAlias -AliasName 'wild-*').AliasName | Should -Be @('alias/wild-a', 'alias/wild-b')
        @(Get-KmsAlias -AliasName 'alias/t?me').AliasName | Should -Be @('alias/tame')
        Get-KmsKey -KeyId 'alias/none-*' -ErrorAction Stop | Should -BeNullOrEmpty
        Get-KmsAlias -AliasName 'none-*' -ErrorAction Stop | Should -BeNullOrEmpty
        (Get-KmsAlias -AliasName 'wild-*' -Output json | Out-String | ConvertFrom-Json).Aliases.AliasName | Should -Be @('alias/wild-a', 'alias/wild-b')
    }
}
