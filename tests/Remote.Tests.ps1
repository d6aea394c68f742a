BeforeDiscovery {
    $script:HasMoto = [bool](Get-Command moto_server -CommandType Application -ErrorAction SilentlyContinue)
    if (-not $HasMoto -and $env:CI) { throw 'moto_server is missing: CI must run the remote backend tests (pip install "moto[server]").' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    function Get-FreePort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop(); $port
    }
    $env:AWS_ACCESS_KEY_ID = 'testing'; $env:AWS_SECRET_ACCESS_KEY = 'testing'
    Remove-Item Env:AWS_ENDPOINT_URL, Env:AWS_ENDPOINT_URL_KMS, Env:AWS_PROFILE, Env:KMSTOOLS_BACKEND -ErrorAction SilentlyContinue
    $script:Moto = $null
    if (Get-Command moto_server -CommandType Application -ErrorAction SilentlyContinue) {
        $port = Get-FreePort
        $script:Endpoint = "http://127.0.0.1:$port"
        $script:Moto = Start-Process moto_server -ArgumentList '-H', '127.0.0.1', '-p', $port -PassThru `
            -RedirectStandardOutput (Join-Path $StoreHome 'moto.out') -RedirectStandardError (Join-Path $StoreHome 'moto.err')
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while ([datetime]::UtcNow -lt $deadline) {
            try { $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $client.Dispose(); break } catch { Start-Sleep -Milliseconds 100 }
        }
    }
}

AfterAll {
    if ($script:Moto -and -not $script:Moto.HasExited) { $script:Moto.Kill(); $script:Moto.WaitForExit() }
    Remove-Item Env:AWS_ACCESS_KEY_ID, Env:AWS_SECRET_ACCESS_KEY -ErrorAction SilentlyContinue
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The same cmdlets against moto' -Skip:(-not $HasMoto) {
    It 'creates, describes and lists keys' {
        $key = New-KmsKey -Description 'remote key' -EndpointUrl $Endpoint
        $key.PSObject.TypeNames[0] | Should -Be 'KmsTools.Model.KeyMetadata'
        $key.KeyState | Should -BeExactly 'Enabled'
        $key.Arn | Should -Match "^arn:aws:kms:us-east-1:\d{12}:key/$($key.KeyId)$"
        (Get-KmsKey -KeyId $key.Arn -EndpointUrl $Endpoint).Description | Should -BeExactly 'remote key'
        (Get-KmsKey -EndpointUrl $Endpoint).KeyId | Should -Contain $key.KeyId
        # nothing reached the local store
        Get-KmsKey | Where-Object KeyId -eq $key.KeyId | Should -BeNullOrEmpty
    }

    It 'creates, lists, updates and deletes aliases' {
        $first = New-KmsKey -EndpointUrl $Endpoint; $second = New-KmsKey -EndpointUrl $Endpoint
        New-KmsAlias -AliasName alias/remote-alias -TargetKeyId $first.KeyId -EndpointUrl $Endpoint
        (Get-KmsAlias -KeyId $first.KeyId -EndpointUrl $Endpoint).AliasName | Should -Be 'alias/remote-alias'
        Update-KmsAlias alias/remote-alias $second.KeyId -EndpointUrl $Endpoint
        (Get-KmsKey alias/remote-alias -EndpointUrl $Endpoint).KeyId | Should -BeExactly $second.KeyId
        Remove-KmsAlias alias/remote-alias -Confirm:$false -EndpointUrl $Endpoint
        Get-KmsAlias -EndpointUrl $Endpoint | Where-Object AliasName -eq 'alias/remote-alias' | Should -BeNullOrEmpty
    }

    It 'encrypts and decrypts with a context, through the pipeline' {
        $key = New-KmsKey -EndpointUrl $Endpoint
        $encrypted = Invoke-KmsEncrypt -KeyId $key.KeyId -PlaintextString 'remote secret' -EncryptionContext @{ app = 'test' } -EndpointUrl $Endpoint
        $encrypted.KeyId | Should -BeExactly $key.Arn
        [Text.Encoding]::UTF8.GetString(($encrypted | Invoke-KmsDecrypt -EndpointUrl $Endpoint).Plaintext) | Should -BeExactly 'remote secret'
    }

    It 'generates data keys that decrypt to their plaintext' {
        $key = New-KmsKey -EndpointUrl $Endpoint
        $dataKey = New-KmsDataKey -KeyId $key.KeyId -KeySpec AES_256 -EncryptionContext 'purpose=remote' -EndpointUrl $Endpoint
        $dataKey.Plaintext.Length | Should -Be 32
        [Convert]::ToBase64String(($dataKey | Invoke-KmsDecrypt -EndpointUrl $Endpoint).Plaintext) | Should -BeExactly ([Convert]::ToBase64String($dataKey.Plaintext))
    }

    It 'makes and checks MACs with an HMAC key (GenerateMac, VerifyMac), with the same error id for a wrong MAC' {
        $key = New-KmsKey -KeySpec HMAC_256 -KeyUsage GENERATE_VERIFY_MAC -EndpointUrl $Endpoint
        $key.KeySpec | Should -BeExactly 'HMAC_256'
        $mac = New-KmsMac -KeyId $key.KeyId -MessageString 'remote' -MacAlgorithm HMAC_SHA_256 -EndpointUrl $Endpoint
        $mac.Mac.Length | Should -Be 32
        ($mac | Test-KmsMac -MessageString 'remote' -EndpointUrl $Endpoint).MacValid | Should -BeTrue
        { $mac | Test-KmsMac -MessageString 'changed' -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidMacException,KmsTools.Commands.TestKmsMacCommand'
    }

    It 'signs and verifies with an asymmetric key (Sign, Verify), with the same error id for a bad signature' {
        $key = New-KmsKey -KeySpec ECC_NIST_P256 -KeyUsage SIGN_VERIFY -EndpointUrl $Endpoint
        $signed = Invoke-KmsSigning -KeyId $key.KeyId -MessageString 'remote' -SigningAlgorithm ECDSA_SHA_256 -EndpointUrl $Endpoint
        $signed.SigningAlgorithm | Should -BeExactly 'ECDSA_SHA_256'
        ($signed | Test-KmsSignature -MessageString 'remote' -EndpointUrl $Endpoint).SignatureValid | Should -BeTrue
        { $signed | Test-KmsSignature -MessageString 'changed' -EndpointUrl $Endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'KMSInvalidSignatureException,KmsTools.Commands.TestKmsSignatureCommand'
    }

    It 'encrypts and decrypts with an RSA key (RSAES_OAEP_SHA_256), as the local engine does (moto omits EncryptionAlgorithm in its answer)' {
        $key = New-KmsKey -KeySpec RSA_2048 -KeyUsage ENCRYPT_DECRYPT -EndpointUrl $Endpoint
        $sealed = Invoke-KmsEncrypt -KeyId $key.KeyId -PlaintextString 'remote rsa' -EncryptionAlgorithm RSAES_OAEP_SHA_256 -EndpointUrl $Endpoint
        Invoke-KmsDecrypt -CiphertextBlob $sealed.CiphertextBlob -KeyId $key.KeyId -EncryptionAlgorithm RSAES_OAEP_SHA_256 -EndpointUrl $Endpoint -AsString |
            Should -BeExactly 'remote rsa'
    }

    It 'creates, lists, retires and revokes grants (CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant)' {
        $key = New-KmsKey -EndpointUrl $Endpoint
        $app = 'arn:aws:iam::123456789012:role/app'; $retirer = 'arn:aws:iam::123456789012:role/retirer'
        $grant = New-KmsGrant $key.KeyId $app Encrypt, Decrypt -RetiringPrincipal $retirer -EncryptionContextSubset @{ app = 'remote' } -Name remote -EndpointUrl $Endpoint
        $grant.GrantId | Should -Not -BeNullOrEmpty
        $grant.GrantToken | Should -Not -BeNullOrEmpty
        $listed = Get-KmsGrant $key.KeyId -EndpointUrl $Endpoint
        $listed.PSObject.TypeNames[0] | Should -Be 'KmsTools.Model.GrantListEntry'
        $listed.GrantId | Should -BeExactly $grant.GrantId
        $listed.GranteePrincipal | Should -BeExactly $app
        $listed.Operations | Should -Be @('Encrypt', 'Decrypt')
        $listed.Constraints.EncryptionContextSubset['app'] | Should -BeExactly 'remote'
        (Get-KmsRetirableGrant $retirer -EndpointUrl $Endpoint).GrantId | Should -Contain $grant.GrantId
        $grant | Disable-KmsGrant -Confirm:$false -EndpointUrl $Endpoint
        @(Get-KmsGrant $key.KeyId -EndpointUrl $Endpoint).Count | Should -Be 0
        $second = New-KmsGrant $key.KeyId $app Decrypt -EndpointUrl $Endpoint
        Get-KmsGrant $key.KeyId -EndpointUrl $Endpoint | Revoke-KmsGrant -Confirm:$false -EndpointUrl $Endpoint
        @(Get-KmsGrant $key.KeyId -EndpointUrl $Endpoint).Count | Should -Be 0
        $second.GrantId | Should -Not -BeExactly $grant.GrantId
    }

    It 'reads and writes key policies (GetKeyPolicy, PutKeyPolicy, ListKeyPolicies)' {
        $key = New-KmsKey -EndpointUrl $Endpoint
        Get-KmsKeyPolicyList $key.KeyId -EndpointUrl $Endpoint | Should -Be @('default')
        Get-KmsKeyPolicy $key.KeyId -EndpointUrl $Endpoint | ConvertFrom-Json | Select-Object -ExpandProperty Statement | Should -Not -BeNullOrEmpty
        $policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"kms:*","Resource":"*"}]}'
        Write-KmsKeyPolicy $key.KeyId $policy -Confirm:$false -EndpointUrl $Endpoint
        Get-KmsKeyPolicy $key.KeyId -EndpointUrl $Endpoint | Should -BeExactly $policy
        $created = New-KmsKey -Policy $policy -EndpointUrl $Endpoint
        Get-KmsKeyPolicy $created.KeyId -EndpointUrl $Endpoint | Should -BeExactly $policy
    }

    It 'creates and replicates multi-Region keys (CreateKey MultiRegion, ReplicateKey)' {
        $key = New-KmsKey -MultiRegion -EndpointUrl $Endpoint
        $key.KeyId | Should -Match '^mrk-'
        $key.MultiRegion | Should -BeTrue
        $replica = New-KmsReplicateKey $key.KeyId us-west-2 -Confirm:$false -EndpointUrl $Endpoint
        $replica.KeyId | Should -BeExactly $key.KeyId
        $replica.Arn | Should -Match ':us-west-2:'
    }

    It 'maps NotFoundException to the same error id as the local engine' {
        $missing = [guid]::NewGuid().ToString()
        $remoteError = $null; $localError = $null
        try { Get-KmsKey -KeyId $missing -EndpointUrl $Endpoint -ErrorAction Stop } catch { $remoteError = $_ }
        try { Get-KmsKey -KeyId $missing -ErrorAction Stop } catch { $localError = $_ }
        $remoteError.FullyQualifiedErrorId | Should -BeExactly 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
        $remoteError.FullyQualifiedErrorId | Should -BeExactly $localError.FullyQualifiedErrorId
        $remoteError.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $remoteError.Exception.Message | Should -Match ([regex]::Escape($missing))
    }

    It "turns moto's HTTP 500 for an operation it lacks into a clear error" {
        $key = New-KmsKey -EndpointUrl $Endpoint
        $failure = $null
        try { New-KmsDataKeyPairWithoutPlaintext $key.KeyId ECC_NIST_P256 -EndpointUrl $Endpoint -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInternalException,KmsTools.Commands.NewKmsDataKeyPairWithoutPlaintextCommand'
        $failure.Exception.Message | Should -Match "answered GenerateDataKeyPairWithoutPlaintext with HTTP 500"
        $failure.Exception.Message | Should -Match ([regex]::Escape($Endpoint))
    }

    It 'says in -Verbose which backend answered' {
        $verbose = Get-KmsKey -EndpointUrl $Endpoint -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match ([regex]::Escape("remote KMS endpoint $Endpoint"))
        $verbose = Get-KmsKey -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'local KMS engine'
    }

    It 'selects the endpoint from AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL and the profile; -Backend Local wins' {
        $key = New-KmsKey -Description 'by environment' -EndpointUrl $Endpoint
        try {
            $env:AWS_ENDPOINT_URL_KMS = $Endpoint
            (Get-KmsKey -KeyId $key.KeyId).KeyId | Should -BeExactly $key.KeyId
            { Get-KmsKey -KeyId $key.KeyId -Backend Local -ErrorAction Stop } | Should -Throw -ErrorId 'NotFoundException,KmsTools.Commands.GetKmsKeyCommand'
            Remove-Item Env:AWS_ENDPOINT_URL_KMS
            $env:AWS_ENDPOINT_URL = $Endpoint
            (Get-KmsKey -KeyId $key.KeyId).KeyId | Should -BeExactly $key.KeyId
            Remove-Item Env:AWS_ENDPOINT_URL
            $config = Join-Path $StoreHome 'aws-config'
            Set-Content $config "[profile moto]`nregion = us-east-1`nendpoint_url = $Endpoint`n"
            $env:AWS_CONFIG_FILE = $config
            (Get-KmsKey -KeyId $key.KeyId -Profile moto).KeyId | Should -BeExactly $key.KeyId
            (Get-KmsKey -KeyId $key.KeyId -ProfileName moto).KeyId | Should -BeExactly $key.KeyId
        }
        finally {
            Remove-Item Env:AWS_ENDPOINT_URL_KMS, Env:AWS_ENDPOINT_URL, Env:AWS_CONFIG_FILE -ErrorAction SilentlyContinue
        }
    }

    It 'keeps dependencies isolated from other versions loaded first (BouncyCastle 2.4.0, AWSSDK.Core 3.7)' {
        $packages = & dotnet nuget locals global-packages --list | Select-Object -First 1
        $packages = ($packages -replace '^global-packages:\s*', '').Trim()
        $bouncyCastle = Join-Path $packages 'bouncycastle.cryptography/2.4.0/lib/net6.0/BouncyCastle.Cryptography.dll'
        $awsCore = Join-Path $packages 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
        if (-not ((Test-Path $bouncyCastle) -and (Test-Path $awsCore))) { Set-ItResult -Skipped -Because 'build.ps1 -Task Test restores them (build/Tools.csproj)' ; return }
        $out = Join-Path $StoreHome 'isolation.out'; $err = Join-Path $StoreHome 'isolation.err'
        $probe = Start-TestPwsh -ScriptPath (Join-Path $PSScriptRoot 'workers/IsolationProbe.ps1') `
            -Arguments @('-ModulePath', $ModuleManifest, '-BouncyCastle', $bouncyCastle, '-AwsSdkCore', $awsCore, '-EndpointUrl', $Endpoint) -StdOut $out -StdErr $err
        $probe.WaitForExit(120000) | Should -BeTrue
        Get-Content $err -Raw | Should -BeNullOrEmpty
        $probe.ExitCode | Should -Be 0
        $result = Get-Content $out -Raw | ConvertFrom-Json
        $result.LocalPairSpec | Should -BeExactly 'ECC_NIST_P256'
        $result.LocalPrivateKeyBytes | Should -Be 138
        $result.RemoteDataKeyBytes | Should -Be 32
        $result.Assemblies | Should -Contain 'BouncyCastle.Cryptography 2.0.0.0 Default'
        $result.Assemblies | Should -Contain 'BouncyCastle.Cryptography 2.0.0.0 KmsTools'
        $result.Assemblies | Should -Contain 'AWSSDK.Core 3.3.0.0 Default'
        $result.Assemblies | Should -Contain 'AWSSDK.Core 4.0.0.0 KmsTools'
    }
}

Describe 'Requests the remote backend sends' {
    BeforeAll {
        # A one-shot loopback responder: records the request, answers with a canned KMS response.
        $script:ResponderPort = Get-FreePort
        $script:Captured = Join-Path $StoreHome 'captured.json'
        $publicKey = [Convert]::ToBase64String([byte[]](1..91)); $blob = [Convert]::ToBase64String([byte[]](1..200))
        $script:CannedResponse = '{"KeyId":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","KeyMaterialId":"' + ('ab' * 32) + '","KeyPairSpec":"ECC_NIST_P256","PrivateKeyCiphertextBlob":"' + $blob + '","PublicKey":"' + $publicKey + '"}'
        $script:Responder = Start-ThreadJob -ArgumentList $ResponderPort, $Captured, $CannedResponse -ScriptBlock {
            param($port, $captured, $response)
            $listener = [System.Net.HttpListener]::new()
            $listener.Prefixes.Add("http://127.0.0.1:$port/")
            $listener.Start()
            try {
                $context = $listener.GetContext()
                $body = [IO.StreamReader]::new($context.Request.InputStream).ReadToEnd()
                [pscustomobject]@{
                    Method = $context.Request.HttpMethod; Path = $context.Request.Url.AbsolutePath
                    Target = $context.Request.Headers['X-Amz-Target']; ContentType = $context.Request.ContentType
                    Authorization = $context.Request.Headers['Authorization']; Body = $body
                } | ConvertTo-Json | Set-Content $captured
                $bytes = [Text.Encoding]::UTF8.GetBytes($response)
                $context.Response.ContentType = 'application/x-amz-json-1.1'
                $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $context.Response.Close()
            } finally { $listener.Stop() }
        }
        Start-Sleep -Milliseconds 300
    }

    AfterAll { $script:Responder | Remove-Job -Force -ErrorAction SilentlyContinue }

    It 'sends GenerateDataKeyPairWithoutPlaintext over the KMS JSON 1.1 protocol, signed, and maps the answer' {
        $result = New-KmsDataKeyPairWithoutPlaintext -KeyId alias/responder -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ purpose = 'wire' } `
            -GrantTokens token1 -EndpointUrl "http://127.0.0.1:$ResponderPort" -CliReadTimeout 20
        $request = Get-Content $Captured -Raw | ConvertFrom-Json
        $request.Method | Should -BeExactly 'POST'
        $request.Path | Should -BeExactly '/'
        $request.Target | Should -BeExactly 'TrentService.GenerateDataKeyPairWithoutPlaintext'
        $request.ContentType | Should -Match '^application/x-amz-json-1\.1'
        $request.Authorization | Should -Match '^AWS4-HMAC-SHA256 Credential=testing/\d{8}/us-east-1/kms/aws4_request'
        $body = $request.Body | ConvertFrom-Json
        $body.KeyId | Should -BeExactly 'alias/responder'
        $body.KeyPairSpec | Should -BeExactly 'ECC_NIST_P256'
        $body.EncryptionContext.purpose | Should -BeExactly 'wire'
        $body.GrantTokens | Should -Be @('token1')
        $body.PSObject.Properties.Name | Should -Not -Contain 'DryRun'

        $result.PSObject.TypeNames[0] | Should -Be 'KmsTools.Model.GenerateDataKeyPairWithoutPlaintextResponse'
        $result.KeyId | Should -BeExactly 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
        $result.PublicKey | Should -Be ([byte[]](1..91))
        $result.PrivateKeyCiphertextBlob.Length | Should -Be 200
        $result.KeyMaterialId | Should -BeExactly ('ab' * 32)
        $result.EncryptionContext['purpose'] | Should -BeExactly 'wire'
    }

    It 'names the endpoint when nothing listens there' {
        $port = Get-FreePort
        $failure = $null
        try { Get-KmsKey -KeyId alias/x -EndpointUrl "http://127.0.0.1:$port" -CliConnectTimeout 5 -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'EndpointConnectionError,KmsTools.Commands.GetKmsKeyCommand'
        $failure.Exception.Message | Should -Match ([regex]::Escape("http://127.0.0.1:$port"))
    }

    It 'rejects a malformed endpoint with ValidationException' {
        { Get-KmsKey -KeyId alias/x -EndpointUrl 'not a url' -ErrorAction Stop } | Should -Throw -ErrorId 'ValidationException,KmsTools.Commands.GetKmsKeyCommand'
    }
}

Describe 'An endpoint that misbehaves (issue 11, items 16-18)' {
    BeforeAll {
        # A raw TCP endpoint per case, served on a thread of this process: it accepts, then does what the case says
        # (never answer, send headers and stall, answer with a status and a body, declare a huge body).
        $script:Stubs = [System.Collections.Generic.List[object]]::new()
        function Start-StubEndpoint([string] $Mode, [string] $Body = '', [int] $Status = 200, [long] $DeclaredLength = -1) {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $job = Start-ThreadJob -ArgumentList $listener, $Mode, $Body, $Status, $DeclaredLength -ScriptBlock {
                param($listener, $mode, $body, $status, $declared)
                $held = [System.Collections.Generic.List[object]]::new()
                try {
                    while ($true) {
                        $client = $listener.AcceptTcpClient(); $held.Add($client)
                        if ($mode -eq 'silent') { continue }
                        $stream = $client.GetStream()
                        $buffer = [byte[]]::new(65536); $null = $stream.Read($buffer, 0, $buffer.Length)
                        $bytes = [Text.Encoding]::UTF8.GetBytes($body)
                        $length = if ($declared -ge 0) { $declared } else { $bytes.Length }
                        $head = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 $status X`r`nContent-Type: application/x-amz-json-1.1`r`nContent-Length: $length`r`n`r`n")
                        $stream.Write($head, 0, $head.Length)
                        $send = if ($mode -eq 'stall') { [Math]::Min(5, $bytes.Length) } else { $bytes.Length }
                        $stream.Write($bytes, 0, $send); $stream.Flush()
                    }
                }
                catch { }
                finally { foreach ($c in $held) { $c.Dispose() } }
            }
            $script:Stubs.Add([pscustomobject]@{ Listener = $listener; Job = $job })
            "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
        }
        # A call that must end on its own: run on a thread with a deadline far above its timeouts, so that a hang
        # fails this test instead of holding the suite.
        function Invoke-Bounded([scriptblock] $Call, [int] $DeadlineSeconds = 60) {
            $job = Start-ThreadJob -ArgumentList $ModuleManifest, $StoreHome, $Call.ToString() -ScriptBlock {
                param($manifest, $storeHome, $call)
                $env:KMSTOOLS_HOME = $storeHome
                Import-Module $manifest
                try { & ([scriptblock]::Create($call)) | Out-Null; 'no error' }
                catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
            }
            $finished = Wait-Job $job -Timeout $DeadlineSeconds
            $result = if ($finished) { Receive-Job $job } else { "still running after $DeadlineSeconds s" }
            Remove-Job $job -Force
            $result
        }
    }

    # Thread jobs share a pool of five threads: a stub left running would keep the next test's stub from starting.
    AfterEach {
        foreach ($stub in $script:Stubs) { $stub.Listener.Stop(); $stub.Job | Wait-Job -Timeout 5 | Out-Null; $stub.Job | Remove-Job -Force -ErrorAction SilentlyContinue }
        $script:Stubs.Clear()
    }

    It 'times out a server that accepts and never answers, with the TLS client in use too, as ReadTimeoutError naming the endpoint' {
        $endpoint = Start-StubEndpoint -Mode silent
        # -CliConnectTimeout puts the custom HTTP client in play: it used to drop -CliReadTimeout and hang 300 s.
        $result = Invoke-Bounded ([scriptblock]::Create("Get-KmsKey -KeyId alias/x -EndpointUrl '$endpoint' -Region us-east-1 -CliReadTimeout 1 -CliConnectTimeout 5 -ErrorAction Stop"))
        $result.Id | Should -BeExactly 'ReadTimeoutError,KmsTools.Commands.GetKmsKeyCommand'
        $result.Message | Should -BeLike "Read timeout on endpoint URL: `"$endpoint`" (DescribeKey*"
    }

    It 'times out a body that stalls after the headers' {
        $endpoint = Start-StubEndpoint -Mode stall -Body '{"KeyMetadata":{"KeyId":"k"}}'
        $result = Invoke-Bounded ([scriptblock]::Create("Get-KmsKey -KeyId alias/x -EndpointUrl '$endpoint' -Region us-east-1 -CliReadTimeout 1 -ErrorAction Stop"))
        $result.Id | Should -BeExactly 'ReadTimeoutError,KmsTools.Commands.GetKmsKeyCommand'
    }

    It 'times out a connection that is never accepted as ConnectTimeoutError' {
        # A listener whose backlog is full: the kernel drops further SYNs, so a connect hangs.
        $full = [System.Net.Sockets.Socket]::new([System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
        $full.Bind([System.Net.IPEndPoint]::new([System.Net.IPAddress]::Loopback, 0)); $full.Listen(0)
        $port = $full.LocalEndPoint.Port
        $fillers = foreach ($i in 1..4) {
            $c = [System.Net.Sockets.Socket]::new([System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp); $null = $c.ConnectAsync('127.0.0.1', $port); $c
        }
        try {
            Start-Sleep -Milliseconds 500
            $result = Invoke-Bounded ([scriptblock]::Create("Get-KmsKey -KeyId alias/x -EndpointUrl 'http://127.0.0.1:$port' -Region us-east-1 -CliConnectTimeout 1 -CliReadTimeout 1 -ErrorAction Stop"))
            $result.Id | Should -BeExactly 'ConnectTimeoutError,KmsTools.Commands.GetKmsKeyCommand'
            $result.Message | Should -Match ([regex]::Escape("http://127.0.0.1:$port"))
        }
        finally { foreach ($c in $fillers) { $c.Dispose() }; $full.Dispose() }
    }

    It 'refuses a 200 whose body is not the operation''s shape, naming the endpoint and what is wrong' {
        $endpoint = Start-StubEndpoint -Mode answer -Body '{"KeyId":5,"CiphertextBlob":"not base64!!"}'
        $failure = $null
        try { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](1..40)) -EndpointUrl $endpoint -Region us-east-1 -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInternalException,KmsTools.Commands.InvokeKmsDecryptCommand'
        $failure.Exception.Message | Should -BeExactly "The endpoint $endpoint answered Decrypt with HTTP 200 with a body that is not a Decrypt response: KeyId is a JSON number, not a string. Nothing was taken from it."
    }

    It 'refuses a 200 that lacks what KMS always returns (a Decrypt without its plaintext)' {
        $endpoint = Start-StubEndpoint -Mode answer -Body '{"KeyId":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab","EncryptionAlgorithm":"SYMMETRIC_DEFAULT"}'
        $failure = $null
        $out = Join-Path $StoreHome 'plain.bin'
        try { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](1..40)) -EndpointUrl $endpoint -Region us-east-1 -ErrorAction Stop | ForEach-Object { [IO.File]::WriteAllBytes($out, $_.Plaintext) } } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KMSInternalException,KmsTools.Commands.InvokeKmsDecryptCommand'
        $failure.Exception.Message | Should -Match 'lacks Plaintext, which KMS always returns'
        Test-Path $out | Should -BeFalse
    }

    It 'refuses a body larger than any KMS answer before reading it' {
        $endpoint = Start-StubEndpoint -Mode stall -Body '{"KeyId":"' -DeclaredLength 300000000
        $result = Invoke-Bounded ([scriptblock]::Create("Get-KmsKey -KeyId alias/x -EndpointUrl '$endpoint' -Region us-east-1 -CliReadTimeout 30 -ErrorAction Stop"))
        $result.Id | Should -BeExactly 'KMSInternalException,KmsTools.Commands.GetKmsKeyCommand'
        $result.Message | Should -Match 'a body of 300000000 bytes than the 4 MiB any KMS answer fits in'
    }

    It 'gives KMS''s message for an error body without one (InvalidCiphertextException), not the SDK''s text' {
        $endpoint = Start-StubEndpoint -Mode answer -Status 400 -Body '{"__type":"InvalidCiphertextException"}'
        $failure = $null
        try { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](1..40)) -EndpointUrl $endpoint -Region us-east-1 -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'InvalidCiphertextException,KmsTools.Commands.InvokeKmsDecryptCommand'
        $failure.Exception.Message | Should -Not -Match 'service returned|HTTP Body|__type'
        # What the local engine says for the same failure.
        $local = $null
        try { Invoke-KmsDecrypt -CiphertextBlob ([byte[]](1..40)) -ErrorAction Stop } catch { $local = $_ }
        $failure.Exception.Message | Should -BeExactly $local.Exception.Message
    }

    It 'says that TLS to a plain-HTTP port needs an http:// URL, not -NoVerifySsl' {
        $endpoint = Start-StubEndpoint -Mode answer -Body '{}'
        $tls = $endpoint -replace '^http:', 'https:'
        $failure = $null
        try { Get-KmsKey -KeyId alias/x -EndpointUrl $tls -Region us-east-1 -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'SSLError,KmsTools.Commands.GetKmsKeyCommand'
        $failure.Exception.Message | Should -Match 'use an http:// URL in -EndpointUrl'
        $failure.Exception.Message | Should -Not -Match 'NoVerifySsl'
    }
}
