# Start-KmsServer with the clients people point at KMS: the aws CLI, boto3, the AWS SDK for JavaScript, and this
# module's own -EndpointUrl; the foreground mode as a process of its own. The wire-level hardening (bad requests,
# slow clients, stop while busy) is in tests/KmsTools.Server.Tests/KmsServerTests.cs, over raw sockets.
BeforeDiscovery {
    $script:HasAws = [bool](Get-Command aws -CommandType Application -ErrorAction SilentlyContinue)
    $script:HasPython = [bool](Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue) -and
        $(if (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue) { (& python3 -c 'import boto3, cryptography; print(1)' 2>$null) -eq '1' } else { $false })
    if ($env:CI -and -not ($HasAws -and $HasPython)) { throw 'The aws CLI, boto3 and cryptography are missing: CI must run the real-client tests of the server.' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Server = Start-KmsServer -PassThru
    $script:Url = $Server.Url
    $script:Interop = Join-Path (Split-Path $PSScriptRoot -Parent) 'out/interop'
    $script:SavedCredentials = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
    # The aws CLI signs every request; the server accepts any credentials, as the emulators do.
    $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'

    function Test-NodeClient {
        # Node and the JavaScript SDK are there (build.ps1 -Task Test installs the SDK into out/interop); otherwise the
        # calling test is skipped, or fails on CI, which must run it.
        if ((Get-Command node -CommandType Application -ErrorAction SilentlyContinue) -and (Test-Path (Join-Path $Interop 'node_modules/@aws-sdk/client-kms'))) { return $true }
        if ($env:CI) { throw 'node or @aws-sdk/client-kms is missing: CI must run this test (build.ps1 installs tests/interop into out/interop).' }
        Set-ItResult -Skipped -Because 'node or @aws-sdk/client-kms is not installed (build.ps1 -Task Test installs it with npm into out/interop)'
        return $false
    }

    function Invoke-AwsKms([string[]] $Arguments, [string] $Region = 'us-east-1') {
        $err = Join-Path $StoreHome 'aws.err'
        $out = & aws kms @Arguments --endpoint-url $Url --region $Region --output json 2>$err
        if ($LASTEXITCODE -ne 0) { throw "aws kms $($Arguments[0]) failed ($LASTEXITCODE): $(Get-Content $err -Raw)" }
        if ($out) { $out | ConvertFrom-Json }
    }
}

AfterAll {
    Get-KmsServer | Stop-KmsServer
    $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $SavedCredentials
}

Describe 'Start-KmsServer, Get-KmsServer and Stop-KmsServer' {
    It 'starts on a free loopback port and reports where' {
        $Server.Address | Should -BeExactly '127.0.0.1'
        $Server.Port | Should -BeGreaterThan 0
        $Url | Should -BeExactly "http://127.0.0.1:$($Server.Port)"
        $Server.Store | Should -BeExactly $StoreHome
        (Get-KmsServer -Id $Server.Id).Url | Should -BeExactly $Url
    }

    It 'serves the store the cmdlets use: a key made by a cmdlet is there, and one made through the server is in the store' {
        $local = New-KmsKey -Description 'made locally'
        (Get-KmsKey -KeyId $local.KeyId -EndpointUrl $Url).Description | Should -BeExactly 'made locally'
        $remote = New-KmsKey -Description 'made through the server' -EndpointUrl $Url
        (Get-KmsKey -KeyId $remote.KeyId).Description | Should -BeExactly 'made through the server'
    }

    It 'refuses an address that is not loopback unless asked, and a port in use, saying what to do' {
        $failure = Get-Failure { Start-KmsServer -Address 0.0.0.0 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'RemoteAccessNotAllowed,KmsTools.Commands.StartKmsServerCommand'
        $failure = Get-Failure { Start-KmsServer -Port $Server.Port -ErrorAction Stop }
        $failure.Exception.Message | Should -BeExactly "Port $($Server.Port) on 127.0.0.1 is in use; choose another with -Port, or -Port 0 for a free one."
        @(Get-KmsServer).Count | Should -Be 1
    }

    It 'tab-completes -Id with the running servers and -Address with the loopback addresses' {
        $line = 'Stop-KmsServer -Id '
        (TabExpansion2 $line $line.Length).CompletionMatches.ListItemText | Should -Contain "$($Server.Id) ($Url)"
        $line = 'Start-KmsServer -Address '
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be @('127.0.0.1', '::1', 'localhost', '0.0.0.0')
    }

    It 'listens beyond loopback only with -AllowRemoteAccess, and then warns' {
        $open = Start-KmsServer -Address 0.0.0.0 -AllowRemoteAccess -PassThru -WarningVariable warned -WarningAction SilentlyContinue
        try {
            $open.Address | Should -BeExactly '0.0.0.0'
            "$warned" | Should -BeExactly 'The KMS server listens on 0.0.0.0: it has no TLS and accepts any credentials, so whoever reaches this port can use every key of the store.'
        }
        finally { $open | Stop-KmsServer }
    }

    It 'stops a server, which then refuses connections, and says so for an id that names none' {
        $other = Start-KmsServer -PassThru
        $stopped = $other | Stop-KmsServer -PassThru
        $stopped.IsRunning | Should -BeFalse
        @(Get-KmsServer).Id | Should -Not -Contain $other.Id
        { Get-KmsKey -EndpointUrl $other.Url -CliConnectTimeout 2 -ErrorAction Stop } | Should -Throw
        $failure = Get-Failure { Stop-KmsServer -Id 999 -ErrorAction Stop }
        $failure.FullyQualifiedErrorId | Should -BeExactly 'KmsServerNotFound,KmsTools.Commands.StopKmsServerCommand'
    }

    It 'closes the loop the remote backend could not close with moto: the data key pair operations, all nine specs' {
        $key = New-KmsKey -EndpointUrl $Url
        foreach ($spec in 'ECC_NIST_P256', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519', 'RSA_2048') {
            $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $key.KeyId -KeyPairSpec $spec -EncryptionContext @{ spec = $spec } -EndpointUrl $Url
            $pair.KeyPairSpec | Should -BeExactly $spec
            ($pair | Invoke-KmsDecrypt -EndpointUrl $Url).Plaintext.Length | Should -BeGreaterThan 0
        }
    }
}

Describe 'The aws CLI against the server' -Skip:(-not ($HasAws -and $HasPython)) {
    BeforeAll {
        $script:CliKey = (Invoke-AwsKms 'create-key', '--description', 'aws cli').KeyMetadata
        Invoke-AwsKms 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', $CliKey.KeyId
        $script:ChinaKey = (Invoke-AwsKms 'create-key' -Region cn-north-1).KeyMetadata
    }

    It 'creates keys and aliases in the region of the request' {
        $CliKey.Arn | Should -BeLike 'arn:aws:kms:us-east-1:111122223333:key/*'
        $ChinaKey.Arn | Should -BeLike 'arn:aws-cn:kms:cn-north-1:111122223333:key/*'
        (Invoke-AwsKms 'describe-key', '--key-id', 'alias/cli').KeyMetadata.KeyId | Should -BeExactly $CliKey.KeyId
    }

    It 'generate-data-key-pair-without-plaintext for all nine specs: the private key opens with its context, and its public half is the public key' {
        $lines = foreach ($spec in 'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SM2', 'ECC_NIST_EDWARDS25519') {
            $region = if ($spec -eq 'SM2') { 'cn-north-1' } else { 'us-east-1' }
            $keyId = if ($spec -eq 'SM2') { $ChinaKey.KeyId } else { 'alias/cli' }
            $pair = Invoke-AwsKms 'generate-data-key-pair-without-plaintext', '--key-id', $keyId, '--key-pair-spec', $spec, '--encryption-context', "spec=$spec" -Region $region
            $pair.KeyPairSpec | Should -BeExactly $spec
            $blob = Join-Path $StoreHome "$spec.blob"
            [IO.File]::WriteAllBytes($blob, [Convert]::FromBase64String($pair.PrivateKeyCiphertextBlob))
            $opened = Invoke-AwsKms 'decrypt', '--ciphertext-blob', "fileb://$blob", '--encryption-context', "spec=$spec" -Region $region
            $opened.KeyId | Should -BeExactly $pair.KeyId
            if ($spec -eq 'ECC_NIST_P256') {
                $wrong = & aws kms decrypt --ciphertext-blob "fileb://$blob" --encryption-context spec=other --endpoint-url $Url --region $region 2>&1
                "$wrong" | Should -Match '\(InvalidCiphertextException\)' -Because 'the context is bound to the private key'
            }
            if ($spec -eq 'SM2') {
                # Python's cryptography has no SM2; openssl does.
                $der = Join-Path $StoreHome 'sm2.der'
                [IO.File]::WriteAllBytes($der, [Convert]::FromBase64String($opened.Plaintext))
                & openssl pkey -inform DER -in $der -pubout -outform DER -out "$der.pub"
                [Convert]::ToBase64String([IO.File]::ReadAllBytes("$der.pub")) | Should -BeExactly $pair.PublicKey
            }
            else { @{ spec = $spec; public = $pair.PublicKey; private = $opened.Plaintext } | ConvertTo-Json -Compress }
        }
        $checked = $lines | & python3 (Join-Path $PSScriptRoot 'interop/public-half.py') | ConvertFrom-Json
        @($checked).Count | Should -Be 8
        $checked | Where-Object { -not $_.match } | Should -BeNullOrEmpty
    }

    It 'answers an error as AWS does, so the CLI names it' {
        $answer = & aws kms describe-key --key-id alias/none --endpoint-url $Url --region us-east-1 2>&1
        $LASTEXITCODE | Should -Be 255
        "$answer" | Should -BeLike '*An error occurred (NotFoundException) when calling the DescribeKey operation: Alias arn:aws:kms:us-east-1:111122223333:alias/none is not found.*'
        $answer = & aws kms describe-custom-key-stores --endpoint-url $Url --region us-east-1 2>&1
        "$answer" | Should -BeLike '*(UnsupportedOperationException) when calling the DescribeCustomKeyStores operation: DescribeCustomKeyStores is a KMS operation that the KmsTools local engine does not implement.*'
    }
}

Describe 'boto3 against the server' -Skip:(-not $HasPython) {
    It 'does the whole data-key family in one process, and raises botocore''s exception classes' {
        $result = & python3 (Join-Path $PSScriptRoot 'interop/boto3-client.py') $Url | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $result.data_key | Should -BeTrue
        $result.without_plaintext_bytes | Should -Be 24
        $result.pair_private_opens | Should -BeTrue
        $result.pair_without_spec | Should -BeExactly 'ECC_NIST_EDWARDS25519'
        $result.re_encrypted | Should -BeTrue
        $result.key_arn_region | Should -BeExactly 'us-west-2'
        $result.errors.NotFound | Should -BeExactly 'NotFoundException'
        $result.errors.InvalidCiphertext | Should -BeExactly 'InvalidCiphertextException'
        $result.errors.AlreadyExists | Should -BeExactly 'AlreadyExistsException'
        $result.errors.UnsupportedOperation | Should -BeExactly 'UnsupportedOperationException'
        $result.errors.Disabled | Should -BeExactly 'DisabledException'
    }
}

Describe 'The AWS SDK for JavaScript v3 against the server' {
    It 'makes a data key and opens it, makes a key pair, and names a missing key NotFoundException' {
        if (-not (Test-NodeClient)) { return }
        # stderr apart: the SDK warns there about node versions; it is shown only if the client fails.
        $nodeErr = Join-Path $StoreHome 'node.err'
        $result = & node (Join-Path $Interop 'kms-client.mjs') $Url 2>$nodeErr | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0 -Because (Get-Content $nodeErr -Raw)
        $result.arn | Should -BeLike 'arn:aws:kms:eu-central-1:111122223333:key/*'
        $result.same | Should -BeTrue
        $result.plaintextBytes | Should -Be 32
        $result.pairSpec | Should -BeExactly 'ECC_NIST_P256'
        $result.publicKeyBytes | Should -Be 91
        $result.errorName | Should -BeExactly 'NotFoundException'
    }
}

Describe 'SigV4 with credentials configured for the server' -Skip:(-not ($HasAws -and $HasPython)) {
    BeforeAll {
        $secret = ConvertTo-SecureString 'secret-of-the-test' -AsPlainText -Force
        $file = Join-Path $StoreHome 'server-credentials'
        Set-Content $file "[ci]`naws_access_key_id = AKIDFROMFILE`naws_secret_access_key = secret-from-file`n"
        $script:Signed = Start-KmsServer -Credential ([pscredential]::new('AKIDKMSTOOLS', $secret)) -CredentialFile $file -PassThru
        function Invoke-Signed([string] $AccessKey, [string] $SecretKey, [string[]] $Arguments) {
            $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
            try {
                $env:AWS_ACCESS_KEY_ID = $AccessKey; $env:AWS_SECRET_ACCESS_KEY = $SecretKey
                $output = & aws kms @Arguments --endpoint-url $Signed.Url --region us-east-1 --output json 2>&1
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Text = "$output" }
            }
            finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved }
        }
    }
    AfterAll { $Signed | Stop-KmsServer }

    It 'says that it requires signatures' {
        $Signed.RequiresSignature | Should -BeTrue
        $Server.RequiresSignature | Should -BeFalse
    }

    It 'answers the aws CLI signing with a configured key, from -Credential and from -CredentialFile' {
        (Invoke-Signed 'AKIDKMSTOOLS' 'secret-of-the-test' 'list-keys').ExitCode | Should -Be 0
        (Invoke-Signed 'AKIDFROMFILE' 'secret-from-file' 'list-keys').ExitCode | Should -Be 0
    }

    It 'refuses a wrong secret and an unknown key as AWS does' {
        $wrong = Invoke-Signed 'AKIDKMSTOOLS' 'not-the-secret' 'list-keys'
        $wrong.ExitCode | Should -Be 255
        $wrong.Text | Should -BeLike '*(InvalidSignatureException) when calling the ListKeys operation: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.*'
        $unknown = Invoke-Signed 'AKIDUNKNOWN' 'whatever' 'list-keys'
        $unknown.Text | Should -BeLike '*(UnrecognizedClientException) when calling the ListKeys operation: The security token included in the request is invalid.*'
    }

    It 'checks the signatures of boto3, the AWS SDK for .NET (this module''s -EndpointUrl) and unsigned requests' {
        $python = "import boto3, sys`nfor secret in ('secret-of-the-test', 'wrong'):`n    kms = boto3.client('kms', endpoint_url=sys.argv[1], region_name='eu-west-1', aws_access_key_id='AKIDKMSTOOLS', aws_secret_access_key=secret)`n    try:`n        print(kms.create_key()['KeyMetadata']['Arn'].split(':')[3])`n    except kms.exceptions.ClientError as e:`n        print(e.response['Error']['Code'])"
        $answers = & python3 -c $python $Signed.Url
        $answers | Should -Be @('eu-west-1', 'InvalidSignatureException')
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        try {
            $env:AWS_ACCESS_KEY_ID = 'AKIDFROMFILE'; $env:AWS_SECRET_ACCESS_KEY = 'secret-from-file'
            (New-KmsKey -Description signed -EndpointUrl $Signed.Url).Description | Should -BeExactly 'signed'
            $env:AWS_SECRET_ACCESS_KEY = 'wrong'
            (Get-Failure { Get-KmsKey -EndpointUrl $Signed.Url -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'InvalidSignatureException,*'
        }
        finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved }
        (Get-Failure { Get-KmsKey -EndpointUrl $Signed.Url -NoSignRequest -ErrorAction Stop }).FullyQualifiedErrorId | Should -BeLike 'MissingAuthenticationTokenException,*'
    }
}

Describe 'The AWS SDK for JavaScript v3 signing for a server that checks signatures' -Skip:(-not ($HasAws -and $HasPython)) {
    It 'is answered with a configured key and refused with another' {
        if (-not (Test-NodeClient)) { return }
        $signed = Start-KmsServer -Credential ([pscredential]::new('AKIDNODE', (ConvertTo-SecureString 'node-secret' -AsPlainText -Force))) -PassThru
        $saved = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        try {
            $env:AWS_ACCESS_KEY_ID = 'AKIDNODE'; $env:AWS_SECRET_ACCESS_KEY = 'node-secret'
            $result = & node (Join-Path $Interop 'kms-client.mjs') $signed.Url 2>$null | ConvertFrom-Json
            $result.same | Should -BeTrue
            $env:AWS_SECRET_ACCESS_KEY = 'wrong'
            $failure = & node (Join-Path $Interop 'kms-client.mjs') $signed.Url 2>&1
            $LASTEXITCODE | Should -Not -Be 0
            "$failure" | Should -Match 'InvalidSignatureException'
        }
        finally { $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $saved; $signed | Stop-KmsServer }
    }
}

Describe 'Start-KmsServer -Wait, as a process of its own' -Skip:(-not $HasAws) {
    BeforeAll {
        # A pwsh of its own running the server in the foreground, once it says where it listens.
        function Start-Serving([string] $Name) {
            $script = Join-Path $StoreHome "$Name.ps1"
            Set-Content $script "Import-Module '$ModuleManifest'; Start-KmsServer -Port 0 -Wait"
            $out = Join-Path $StoreHome "$Name.out"
            $process = Start-TestPwsh -ScriptPath $script -StdOut $out -StdErr (Join-Path $StoreHome "$Name.err")
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Get-Content $out -Raw -ErrorAction SilentlyContinue) -match 'listening on (http://127\.0\.0\.1:\d+)') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            [pscustomobject]@{ Process = $process; Log = $out; Endpoint = $Matches[1] }
        }
    }

    It 'logs one line per request, never a plaintext, and stops cleanly on SIGTERM' {
        $serving = Start-Serving 'serve-term'
        try {
            $endpoint = $serving.Endpoint
            $endpoint | Should -Not -BeNullOrEmpty
            $key = (& aws kms create-key --endpoint-url $endpoint --region us-east-1 --output json | ConvertFrom-Json).KeyMetadata.KeyId
            $random = & aws kms generate-random --number-of-bytes 32 --endpoint-url $endpoint --region us-east-1 --output text
            $null = & aws kms describe-key --key-id alias/none --endpoint-url $endpoint --region us-east-1 2>&1
            & kill -TERM $serving.Process.Id
            $serving.Process.WaitForExit(30000) | Should -BeTrue
            $serving.Process.ExitCode | Should -Be 0
            $log = Get-Content $serving.Log -Raw
            $log | Should -Match "\d{4}-\d\d-\d\dT[\d:.]+Z 200 CreateKey - [\d.]+ ms"
            $log | Should -Match "200 GenerateRandom - [\d.]+ ms"
            $log | Should -Match "400 DescribeKey alias/none NotFoundException [\d.]+ ms"
            $log | Should -Match 'KMS server 1 stopped after 3 requests\.'
            $log | Should -Not -Match ([regex]::Escape($random))
            (Get-KmsKey -KeyId $key).KeyId | Should -BeExactly $key -Because 'a key created through the server is in the store when it has stopped'
        }
        finally { if (-not $serving.Process.HasExited) { $serving.Process.Kill() } }
    }

    It 'stops on Ctrl+C (SIGINT) after saying so' {
        $serving = Start-Serving 'serve-int'
        try {
            $serving.Endpoint | Should -Not -BeNullOrEmpty
            & kill -INT $serving.Process.Id
            $serving.Process.WaitForExit(30000) | Should -BeTrue
            Get-Content $serving.Log -Raw | Should -Match 'KMS server 1 stopped after 0 requests\.'
        }
        finally { if (-not $serving.Process.HasExited) { $serving.Process.Kill() } }
    }
}
