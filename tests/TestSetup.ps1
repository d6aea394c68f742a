# Dot-sourced by every *.Tests.ps1 in BeforeAll: a private key store per test file, the built module, no AWS settings.
$script:StoreHome = Join-Path ([IO.Path]::GetTempPath()) ("kmstools-pester-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $script:StoreHome -Force | Out-Null
$env:KMSTOOLS_HOME = $script:StoreHome
Remove-Item Env:AWS_REGION, Env:AWS_DEFAULT_REGION, Env:KMSTOOLS_ACCOUNT_ID -ErrorAction SilentlyContinue
$script:ModuleManifest = Join-Path (Split-Path $PSScriptRoot -Parent) 'KmsTools.psd1'
Import-Module $script:ModuleManifest -Force
$script:OpenSsl = (Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
$script:KeysFolder = Join-Path $script:StoreHome 'store-v1/111122223333/us-east-1/keys'

# A file run with -Through Server (build/Invoke-PesterSuite.ps1 runs the data-key suites both ways): every cmdlet in it
# reaches this file's store over the KMS wire protocol, through the remote backend and Start-KmsServer.
$global:PSDefaultParameterValues.Remove('*-Kms*:EndpointUrl')
$script:TestServer = $null
if ((Get-Variable Through -ValueOnly -ErrorAction SilentlyContinue) -eq 'Server') {
    $script:TestServer = Start-KmsServer -PassThru
    $script:SavedAwsCredentials = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
    $env:AWS_ACCESS_KEY_ID = 'test'; $env:AWS_SECRET_ACCESS_KEY = 'test'
    $global:PSDefaultParameterValues['*-Kms*:EndpointUrl'] = $script:TestServer.Url
}

function Stop-TestServer {
    if (-not $script:TestServer) { return }
    $script:TestServer | Stop-KmsServer
    $global:PSDefaultParameterValues.Remove('*-Kms*:EndpointUrl')
    $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $script:SavedAwsCredentials
    $script:TestServer = $null
}

function Set-TestKeyState {
    # The lifecycle cmdlets (Disable-KmsKey, ...) come later; until then tests set a state in the store's own file.
    param([string] $KeyId, [string] $State)
    $path = Join-Path $script:KeysFolder "$KeyId.json"
    $record = Get-Content $path -Raw | ConvertFrom-Json
    $record.KeyState = $State
    $record | ConvertTo-Json -Depth 5 | Set-Content $path
}

function Get-StoreSnapshot {
    # Every file under the store with its content hash: "nothing written" means this does not change. Last-use
    # records (<key-id>.usage) are left out: they are advisory, and a test's own successful calls rightly update them.
    if (-not (Test-Path $script:StoreHome)) { return '' }
    (Get-ChildItem $script:StoreHome -Recurse -File | Where-Object Extension -ne '.usage' | Sort-Object FullName | ForEach-Object {
        "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" }) -join "`n"
}

function Set-TestKeyField {
    # Moves a key's clock-driven dates (deletion, rotation) into the past, as time passing would.
    param([string] $KeyId, [string] $Name, $Value, [string] $Region = 'us-east-1')
    $path = Join-Path $script:StoreHome "store-v1/111122223333/$Region/keys/$KeyId.json"
    $record = Get-Content $path -Raw | ConvertFrom-Json
    $record.$Name = $Value
    $record | ConvertTo-Json -Depth 5 | Set-Content $path
}

function Start-TestPwsh {
    # A separate pwsh process (the same pwsh that runs the tests, installed or the dotnet tool) running a script file.
    param([string] $ScriptPath, [string[]] $Arguments = @(), [string] $StdOut, [string] $StdErr)
    $exe = [Environment]::ProcessPath
    $argList = @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $Arguments
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { $argList = @((Join-Path $PSHOME 'pwsh.dll')) + $argList }
    Start-Process -FilePath $exe -ArgumentList $argList -PassThru -RedirectStandardOutput $StdOut -RedirectStandardError $StdErr
}

function Invoke-WhatIf {
    # Runs a cmdlet with -WhatIf where its "What if: ..." lines cannot reach the console: PowerShell writes them to
    # the host directly, and in the test output they read like actions taken. A runspace of its own has no host UI;
    # it shares this process's module assembly and environment (so this file's store). Returns the cmdlet's output.
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Parameters = @{})
    if (-not $script:QuietRunspace) {
        $script:QuietRunspace = [runspacefactory]::CreateRunspace()
        $script:QuietRunspace.Open()
        $import = [powershell]::Create(); $import.Runspace = $script:QuietRunspace
        $null = $import.AddCommand('Import-Module').AddParameter('Name', $script:ModuleManifest).Invoke()
        $import.Dispose()
    }
    $shell = [powershell]::Create(); $shell.Runspace = $script:QuietRunspace
    try {
        $output = $shell.AddCommand($Command).AddParameters($Parameters).AddParameter('WhatIf').Invoke()
        if ($shell.Streams.Error.Count) { throw $shell.Streams.Error[0] }
        $output
    }
    finally { $shell.Dispose() }
}

function Get-Failure([scriptblock] $Command) {
    # The ErrorRecord of an attempt that must fail (run it with -ErrorAction Stop); a test fails if it succeeds.
    $failure = $null
    try { & $Command } catch { $failure = $_ }
    $failure | Should -Not -BeNullOrEmpty -Because 'the attempt must fail with a KMS error'
    return $failure
}
