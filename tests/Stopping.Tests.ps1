BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Key = New-KmsKey -Description 'stopping'
    $script:Blobs = 1..5 | ForEach-Object { New-KmsDataKeyWithoutPlaintext -KeyId $Key.KeyId -KeySpec AES_256 }

    # What every exit path must leave: no backend open, no key material in memory, no work computed ahead.
    function Get-Leftovers {
        [pscustomobject]@{
            Backends = [KmsTools.Commands.KmsCmdlet]::OpenBackends
            KeyMaterials = [KmsTools.Commands.KmsCmdlet]::LiveKeyMaterials
            AheadItems = [KmsTools.Commands.KmsCmdlet]::PendingAheadItems
        }
    }

    # A pipeline in a runspace of its own (same process, same counters), stopped as Ctrl+C stops the console's.
    function Stop-AfterFirstOutput([string] $Script, [int] $TimeoutSeconds = 60) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$env:KMSTOOLS_HOME = '$StoreHome'; $Script")
        $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
        $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ($output.Count -eq 0 -and -not $handle.IsCompleted -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        $result = [pscustomobject]@{ Outputs = $output.Count; StopSeconds = $watch.Elapsed.TotalSeconds; State = $ps.InvocationStateInfo.State }
        $ps.Dispose()
        $result
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Every exit path cleans up' {
    It 'a pipeline that ends normally disposes its backend and zeroes the key material it read' {
        $during = $Blobs | Invoke-KmsDecrypt | ForEach-Object { [KmsTools.Commands.KmsCmdlet]::LiveKeyMaterials }
        $during | Should -Contain 1 -Because 'the material is cached while the pipeline runs (so this test can fail)'
        $leftovers = Get-Leftovers
        $leftovers.Backends | Should -Be 0
        $leftovers.KeyMaterials | Should -Be 0
    }

    It '-ErrorAction Stop on a failing item skips EndProcessing, and still nothing is left' {
        $items = @($Blobs[0], [pscustomobject]@{ CiphertextBlob = [byte[]](1..40) }, $Blobs[1])
        { $items | Invoke-KmsDecrypt -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
        $leftovers = Get-Leftovers
        $leftovers.Backends | Should -Be 0
        $leftovers.KeyMaterials | Should -Be 0
    }

    It 'Select-Object -First 1 stops the pipeline upstream, and still nothing is left' {
        $first = $Blobs | Invoke-KmsDecrypt | Select-Object -First 1
        $first.Plaintext.Length | Should -Be 32
        $leftovers = Get-Leftovers
        $leftovers.Backends | Should -Be 0
        $leftovers.KeyMaterials | Should -Be 0
    }

    It 'RSA pairs computed ahead and cut off by Select-Object -First 1 are discarded' {
        $pair = 1..6 | ForEach-Object { $Key.KeyId } | New-KmsDataKeyPair -KeyPairSpec RSA_2048 | Select-Object -First 1
        $pair.PrivateKeyPlaintext.Length | Should -BeGreaterThan 1000
        (Get-Leftovers).AheadItems | Should -Be 0
        (Get-Leftovers).Backends | Should -Be 0
    }

    It 'a stopped pipeline (Ctrl+C) of RSA_4096 pairs returns promptly and leaves nothing' {
        # Twenty RSA_4096 pairs take tens of seconds; stopping must not wait for the ones being generated.
        $stopped = Stop-AfterFirstOutput "1..20 | ForEach-Object { '$($Key.KeyId)' } | New-KmsDataKeyPairWithoutPlaintext -KeyPairSpec RSA_4096"
        $stopped.State | Should -Be 'Stopped'
        $stopped.Outputs | Should -BeLessThan 20
        $stopped.StopSeconds | Should -BeLessThan 5
        $leftovers = Get-Leftovers
        $leftovers.AheadItems | Should -Be 0
        $leftovers.Backends | Should -Be 0
        $leftovers.KeyMaterials | Should -Be 0
    }

    It 'RSA pairs computed ahead against a remote endpoint write its -Debug trace on the pipeline thread' {
        # The remote backend traces each wire step; for items computed ahead that happens on another thread,
        # where PowerShell refuses WriteDebug. The trace must reach -Debug, and the outcome stay a KMS error.
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop() # a port nobody listens on
        $DebugPreference = 'Continue' # what -Debug means at a prompt, without -Debug's confirmation under Pester's host
        $records = 'alias/a', 'alias/b' | New-KmsDataKeyPair -KeyPairSpec RSA_2048 -EndpointUrl "http://127.0.0.1:$port" -NoSignRequest `
            -ErrorAction SilentlyContinue -ErrorVariable failures 5>&1
        @($failures).Count | Should -Be 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId } | Should -Be (@('EndpointConnectionError,KmsTools.Commands.NewKmsDataKeyPairCommand') * 2)
        @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match '^POST http://127\.0\.0\.1' }).Count | Should -Be 2
        (Get-Leftovers).Backends | Should -Be 0
    }

    It 'a stopped call to an endpoint that never answers returns promptly, its client disposed' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            # Accepts, reads nothing, answers nothing: the request hangs until the client gives up (here: is stopped).
            $stopped = Stop-AfterFirstOutput "'first'; New-KmsKey -EndpointUrl http://127.0.0.1:$port -NoSignRequest -CliReadTimeout 0" -TimeoutSeconds 5
            $stopped.State | Should -Be 'Stopped'
            $stopped.StopSeconds | Should -BeLessThan 5
            (Get-Leftovers).Backends | Should -Be 0
        }
        finally { $listener.Stop() }
    }
}
