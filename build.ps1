<#
.SYNOPSIS
    Builds, tests and demonstrates the KmsTools module.
.DESCRIPTION
    Build   compiles the engine and the cmdlets and lays out the module: bin/net8.0 (PowerShell 7) and bin/net472 (5.1).
    Test    Build, then the xunit engine tests and the Pester module tests; the last line is "N passed, N failed".
    Demo    Build, then the headline cmdlet on the default local store (alias/kmstools-demo is created when missing).
    Help    en-US/ from docs/ (Build writes it too; it is not committed): platyPS's New-ExternalHelp where platyPS is installed, else build/Convert-HelpMarkdown.ps1.
    Bench   Build, then the benchmarks; results go to bench/results (JSON and markdown, not committed).
    Package Build, then the module folder out/package/KmsTools and its .nupkg in the file repository
            out/package/repository (Publish-PSResource). -NoBuild packages what bin/ holds.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Help', 'Bench', 'Package')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Package only: lay out and pack the module that bin/ holds now (the test suite packs the build it tests).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$Bin = Join-Path $Root 'bin'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)." }
}

# The pwsh that runs this script, whether installed or the PowerShell dotnet tool (dotnet + pwsh.dll).
function Invoke-ChildPwsh {
    param([string[]] $Arguments)
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') {
        & $exe (Join-Path $PSHOME 'pwsh.dll') @Arguments
    } else {
        & $exe @Arguments
    }
}

function Invoke-Build {
    Write-Host "Building KmsTools ($Configuration)..." -ForegroundColor Cyan
    if (Test-Path $Bin) { Remove-Item $Bin -Recurse -Force }
    # bin/net8.0: PowerShell 7.4+, loaded into the module's own load context (KmsTools.LoadContext.dll makes it).
    # bin/net472: Windows PowerShell 5.1, loaded directly. Each folder holds the cmdlets and every library they use.
    foreach ($framework in 'net8.0', 'net472') {
        $publish = Join-Path $Out "publish/$framework"
        if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
        Invoke-Native "dotnet publish ($framework)" { dotnet publish (Join-Path $Root 'src/KmsTools/KmsTools.csproj') -c $Configuration -f $framework -o $publish --nologo -v quiet }
        if ($framework -eq 'net8.0') {
            Invoke-Native 'dotnet publish (load context)' { dotnet publish (Join-Path $Root 'src/KmsTools.LoadContext/KmsTools.LoadContext.csproj') -c $Configuration -o $publish --nologo -v quiet }
        }
        $target = New-Item -ItemType Directory -Path (Join-Path $Bin $framework) -Force
        # PowerShell brings its own System.Management.Automation; symbols and XML docs are not part of the module.
        Get-ChildItem $publish -File | Where-Object { $_.Name -notlike 'System.Management.Automation*' -and $_.Extension -eq '.dll' } |
            Copy-Item -Destination $target.FullName
    }
    # The help is build output like bin/ (its MAML is megabytes, generated from docs/): written on every build.
    Invoke-Help
}

# Writes the help PowerShell reads (MAML and about_ text) from docs/ into $OutputPath.
function Invoke-Help {
    param([string] $OutputPath = (Join-Path $Root 'en-US'))
    $docs = Join-Path $Root 'docs'
    $platyPS = Get-Module -ListAvailable platyPS | Sort-Object Version -Descending | Select-Object -First 1
    if ($platyPS) {
        Import-Module $platyPS
        New-ExternalHelp -Path $docs -OutputPath $OutputPath -Force | Out-Null
    } else {
        # platyPS is not on every machine (no feed here serves it): our converter reads the same schema.
        & (Join-Path $Root 'build/Convert-HelpMarkdown.ps1') -Docs $docs -OutputPath $OutputPath | Out-Null
    }
    Write-Host "Help written to $OutputPath"
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Get-PesterPath {
    Invoke-Native 'restoring Pester from NuGet' { dotnet restore (Join-Path $Root 'build/Tools.csproj') --nologo -v quiet }
    $path = Join-Path (Get-NuGetPackagesFolder) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $path)) { throw "Pester 5.7.1 was restored but '$path' is missing." }
    return $path
}

# The test peers from npm (tests/interop/package.json, locked), installed into out/interop, which git ignores. Without
# node and npm, or without the registry, the tests that need them skip and say so.
function Install-InteropPeers {
    $target = Join-Path $Out 'interop'
    if (-not (Get-Command npm -CommandType Application -ErrorAction SilentlyContinue)) {
        Write-Warning 'Skipped installing the npm test peers: node and npm are not installed (Debian: apt-get install nodejs npm).'
        return
    }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    $source = Join-Path $Root 'tests/interop'
    $lock = Join-Path $source 'package-lock.json'
    $installed = Join-Path $target 'installed.lock'
    Copy-Item (Join-Path $source '*') $target -Force
    if ((Test-Path $installed) -and (Test-Path (Join-Path $target 'node_modules')) -and
        (Get-FileHash $installed).Hash -eq (Get-FileHash $lock).Hash) { return }
    Write-Host 'Installing the npm test peers (tests/interop)...' -ForegroundColor Cyan
    Push-Location $target
    try {
        npm ci --no-audit --no-fund --loglevel=error
        if ($LASTEXITCODE -eq 0) { Copy-Item $lock $installed -Force }
        else { Write-Warning "npm ci failed (exit $LASTEXITCODE): the tests that need the npm peers will skip." }
    }
    finally { Pop-Location }
}

function Invoke-Test {
    Invoke-Build
    Install-InteropPeers
    # The help is rebuilt from docs/ a second time, apart from the build's en-US/: a test fails when the two differ.
    Invoke-Help -OutputPath (Join-Path $Out 'help')
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory -Path $results -Force | Out-Null

    # Tests never touch the user's key store, nor depend on the caller's AWS settings.
    $saved = @{}
    foreach ($name in 'KMSTOOLS_HOME', 'KMSTOOLS_ACCOUNT_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $testHome = Join-Path ([IO.Path]::GetTempPath()) ("kmstools-test-" + [guid]::NewGuid().ToString('N'))
    $env:KMSTOOLS_HOME = $testHome
    try {
        # The benchmarks are not run here, only compiled, so that they cannot rot unnoticed.
        Invoke-Native 'building the benchmarks' { dotnet build (Join-Path $Root 'bench/KmsTools.Bench/KmsTools.Bench.csproj') -c $Configuration --nologo -v quiet }
        $xunitPassed = 0; $xunitFailed = 0
        $runs = @(
            @{ Name = 'engine (net10.0)'; Project = 'tests/KmsTools.Core.Tests'; Framework = 'net10.0' }
            @{ Name = 'aws CLI layer and cmdlet assembly'; Project = 'tests/KmsTools.Tests'; Framework = 'net10.0' }
            @{ Name = 'KMS server (net10.0)'; Project = 'tests/KmsTools.Server.Tests'; Framework = 'net10.0' }
            # The net472 builds are what Windows PowerShell 5.1 loads; Mono runs them here (CI installs mono-complete).
            @{ Name = 'engine (net472 on Mono)'; Project = 'tests/KmsTools.Core.Tests'; Framework = 'net472'; Needs = 'mono' }
            @{ Name = 'KMS server (net472 on Mono)'; Project = 'tests/KmsTools.Server.Tests'; Framework = 'net472'; Needs = 'mono' }
        )
        foreach ($run in $runs) {
            if ($run.ContainsKey('Needs') -and -not (Get-Command $run.Needs -CommandType Application -ErrorAction SilentlyContinue)) {
                Write-Warning "Skipped the xunit $($run.Name) tests: '$($run.Needs)' is not installed (Debian: apt-get install mono-complete)."
                continue
            }
            Write-Host "Running xunit: $($run.Name)..." -ForegroundColor Cyan
            $trxName = ($run.Project -replace '\W', '-') + "-$($run.Framework).trx"
            dotnet test (Join-Path $Root $run.Project) -c $Configuration -f $run.Framework --nologo `
                --logger "trx;LogFileName=$trxName" --logger 'console;verbosity=minimal' --results-directory $results
            $exit = $LASTEXITCODE
            $trx = Join-Path $results $trxName
            $runFailed = 0
            if (Test-Path $trx) {
                $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
                $xunitPassed += [int]$counters.passed
                $runFailed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
            }
            if ($exit -ne 0 -and $runFailed -eq 0) { $runFailed = 1 } # the run itself broke
            $xunitFailed += $runFailed
        }

        Write-Host 'Running Pester (module)...' -ForegroundColor Cyan
        $pester = Get-PesterPath
        Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'build/Invoke-PesterSuite.ps1'),
            '-PesterPath', $pester, '-TestsPath', (Join-Path $Root 'tests'), '-ResultDirectory', $results)
        $summaryFile = Join-Path $results 'pester-summary.json'
        if (Test-Path $summaryFile) {
            $summary = Get-Content $summaryFile -Raw | ConvertFrom-Json
            $pesterPassed = [int]$summary.Passed; $pesterFailed = [int]$summary.Failed
        } else {
            $pesterPassed = 0; $pesterFailed = 1 # Pester itself did not finish
        }
    }
    finally {
        if (Test-Path $testHome) { Remove-Item $testHome -Recurse -Force -ErrorAction SilentlyContinue }
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }

    $passed = $xunitPassed + $pesterPassed
    $failed = $xunitFailed + $pesterFailed
    Write-Host "xunit: $xunitPassed passed, $xunitFailed failed; Pester: $pesterPassed passed, $pesterFailed failed"
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Import-Module (Join-Path $Root 'KmsTools.psd1') -Force
    $alias = 'alias/kmstools-demo'
    # -Verbose says which engine and store answer; the demo shows it rather than guessing the path.
    $aliases = Get-KmsAlias -Verbose 4>&1
    Write-Host ($aliases | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Select-Object -First 1).Message
    if (-not ($aliases | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] -and $_.AliasName -eq $alias })) {
        $key = New-KmsKey -Description 'KmsTools demo key'
        New-KmsAlias -AliasName $alias -TargetKeyId $key.KeyId
        Write-Host "Created symmetric KMS key $($key.KeyId) with alias $alias."
    }

    Write-Host "`nNew-KmsDataKeyPairWithoutPlaintext -KeyId $alias -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ purpose = 'demo' }" -ForegroundColor Cyan
    $pair = New-KmsDataKeyPairWithoutPlaintext -KeyId $alias -KeyPairSpec ECC_NIST_P256 -EncryptionContext @{ purpose = 'demo' }
    $pair | Format-List | Out-Host
    Write-Host $pair.PublicKeyPem

    Write-Host "`$pair | Invoke-KmsDecrypt" -ForegroundColor Cyan
    $decrypted = $pair | Invoke-KmsDecrypt
    $decrypted | Format-List | Out-Host
    try {
        $ecdsa = [System.Security.Cryptography.ECDsa]::Create()
        $read = 0
        $ecdsa.ImportPkcs8PrivateKey($decrypted.Plaintext, [ref] $read)
        $derived = $ecdsa.ExportSubjectPublicKeyInfo()
        $ecdsa.Dispose()
    }
    finally {
        [Array]::Clear($decrypted.Plaintext, 0, $decrypted.Plaintext.Length) # the private key, zeroed once used
    }
    if ([Convert]::ToBase64String($derived) -ne $pair.PublicKeyBase64) {
        throw 'The decrypted private key does not match the public key.'
    }
    Write-Host 'The decrypted private key (PKCS#8) matches the public key: its public half equals PublicKey.' -ForegroundColor Green
}

function Invoke-Bench {
    Invoke-Build
    $results = Join-Path $Root 'bench/results'
    New-Item -ItemType Directory -Path $results -Force | Out-Null
    Write-Host 'Benchmarks of the engine: key pairs per spec, doomed requests, store scale (10 against 100,000 keys)...' -ForegroundColor Cyan
    Invoke-Native 'the engine benchmarks' { dotnet run -c Release --project (Join-Path $Root 'bench/KmsTools.Bench/KmsTools.Bench.csproj') -- $results 100000 }
    Write-Host 'Benchmarks of the module: cmdlets, import, the aws CLI and openssl...' -ForegroundColor Cyan
    # A process of its own, as a user's session would be, with the freshly built module.
    Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'bench/Measure-Cmdlets.ps1'), '-ModulePath', (Join-Path $Root 'KmsTools.psd1'), '-Results', $results)
    Write-Host 'Benchmarks of the Encryption SDK format: Protect-KmsFile and Unprotect-KmsFile on 1 GiB, openssl speed, the ESDK for JavaScript...' -ForegroundColor Cyan
    Install-InteropPeers
    Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'bench/Measure-EncryptionSdk.ps1'), '-ModulePath', (Join-Path $Root 'KmsTools.psd1'), '-Results', $results)
    Write-Host "Results in $results (report.md, *.json)"
}

# The module as it is installed: KmsTools/ with the manifest, root module, type and format data, bin/ and en-US/;
# then its .nupkg, made by PSResourceGet's Publish-PSResource to a file repository (out/package/repository).
function Invoke-Package {
    if (-not $NoBuild) { Invoke-Build }
    $package = Join-Path $Out 'package'
    $module = Join-Path $package 'KmsTools'
    $repository = Join-Path $package 'repository'
    foreach ($folder in $module, $repository) { if (Test-Path $folder) { Remove-Item $folder -Recurse -Force } }
    New-Item -ItemType Directory -Path $module -Force | Out-Null
    Copy-Item (Join-Path $Root 'KmsTools.psd1'), (Join-Path $Root 'KmsTools.psm1'), (Join-Path $Root 'KmsTools.types.ps1xml'),
        (Join-Path $Root 'KmsTools.format.ps1xml'), (Join-Path $Root 'LICENSE'), (Join-Path $Root 'README.md') -Destination $module
    Copy-Item $Bin -Destination $module -Recurse
    Copy-Item (Join-Path $Root 'en-US') -Destination $module -Recurse
    # A child pwsh with a temporary data folder: registering the build's repository leaves the user's settings alone.
    $data = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-psresourceget-' + [guid]::NewGuid().ToString('N'))
    $saved = $env:XDG_DATA_HOME
    try {
        # It must exist: .NET answers an empty LocalApplicationData for a missing folder, and PSResourceGet then writes into the working folder.
        $null = New-Item -ItemType Directory -Path $data -Force
        $env:XDG_DATA_HOME = $data
        $nupkg = Invoke-ChildPwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'build/Publish-LocalPackage.ps1'),
            '-ModulePath', $module, '-Repository', $repository)
        if ($LASTEXITCODE -ne 0) { throw "Publish-PSResource failed (exit code $LASTEXITCODE)." }
    }
    finally {
        $env:XDG_DATA_HOME = $saved
        Remove-Item $data -Recurse -Force -ErrorAction SilentlyContinue
    }
    Write-Host "Module laid out in $module"
    Write-Host "Package: $(@($nupkg)[-1])"
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Help' { Invoke-Help }
        'Bench' { Invoke-Bench }
        'Package' { Invoke-Package }
    }
}
finally {
    Pop-Location
}
