<#
.SYNOPSIS
    The PowerShell half of build.ps1 -Task Bench: the cmdlets in a pipeline, module import, and what a user would do
    instead (the aws CLI against moto, an openssl loop). Reads the engine's results of the same run and writes
    cmdlets.json and report.md (every target, met or missed) to the results folder.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Results
)
$ErrorActionPreference = 'Stop'
$work = Join-Path ([IO.Path]::GetTempPath()) ("kmstools-bench-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work -Force | Out-Null
$env:KMSTOOLS_HOME = $work
Remove-Item Env:AWS_REGION, Env:AWS_DEFAULT_REGION, Env:AWS_ENDPOINT_URL, Env:AWS_ENDPOINT_URL_KMS, Env:KMSTOOLS_BACKEND -ErrorAction SilentlyContinue
Import-Module $ModulePath
$engine = Get-Content (Join-Path $Results 'keypairs.json') -Raw | ConvertFrom-Json
$doomed = Get-Content (Join-Path $Results 'doomed.json') -Raw | ConvertFrom-Json
$scale = Get-Content (Join-Path $Results 'store-scale.json') -Raw | ConvertFrom-Json
$signatures = Get-Content (Join-Path $Results 'signatures.json') -Raw | ConvertFrom-Json

function Get-Median([double[]] $Values) { $sorted = $Values | Sort-Object; $sorted[[int][math]::Floor($sorted.Count / 2)] }
function Invoke-Pwsh([string] $Command) {
    $exe = [Environment]::ProcessPath
    if ((Split-Path $exe -Leaf) -match '^dotnet(\.exe)?$') { & $exe (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $Command }
    else { & $exe -NoProfile -NonInteractive -Command $Command }
}

# 1. Key pairs through the cmdlet, two ways, against the engine itself in this same process (rounds alternate, so
#    both see the same machine, runtime and BouncyCastle build). The engine lives in the module's private load
#    context, so it is reached through its assembly rather than by type name.
$key = New-KmsKey -Description bench
$chinaKey = New-KmsKey -Description bench -Region cn-north-1
$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KmsTools.Core' } | Select-Object -First 1
function New-Engine([string] $Region) {
    $options = $core.GetType('KmsTools.Local.LocalKmsOptions')::Resolve($Region, $work, $null, $null)
    [Activator]::CreateInstance($core.GetType('KmsTools.Local.LocalKmsBackend'), @($options))
}
$engines = @{ 'us-east-1' = New-Engine 'us-east-1'; 'cn-north-1' = New-Engine 'cn-north-1' }
$requestType = $core.GetType('KmsTools.Model.GenerateDataKeyPairWithoutPlaintextRequest')
# Enough items per round that a round lasts about a second: shorter rounds make the slow curves' ratios flap.
$counts = @{ RSA_2048 = 8; RSA_3072 = 3; RSA_4096 = 2; ECC_NIST_P256 = 4000; ECC_NIST_P384 = 400; ECC_NIST_P521 = 1000; ECC_SECG_P256K1 = 600; SM2 = 500; ECC_NIST_EDWARDS25519 = 6000 }
$cmdletRows = foreach ($row in $engine) {
    $spec = $row.spec; $n = $counts[$spec]
    $region = if ($spec -eq 'SM2') { 'cn-north-1' } else { 'us-east-1' }
    $keyId = if ($spec -eq 'SM2') { $chinaKey.KeyId } else { $key.KeyId }
    $backend = $engines[$region]
    $request = [Activator]::CreateInstance($requestType); $request.KeyId = $keyId; $request.KeyPairSpec = $spec
    $null = New-KmsDataKeyPairWithoutPlaintext -KeyId $keyId -KeyPairSpec $spec -Region $region
    $null = $backend.GenerateDataKeyPairWithoutPlaintext($request)
    $objects = 1..$n | ForEach-Object { [pscustomobject]@{ KeyId = $keyId; KeyPairSpec = $spec } }
    $perCall = @(); $bound = @(); $direct = @()
    $rounds = if ($spec -like "RSA_*") { 3 } else { 5 }
    foreach ($round in 1..$rounds) {
        $elapsed = Measure-Command { foreach ($i in 1..$n) { $null = $backend.GenerateDataKeyPairWithoutPlaintext($request) } }
        $direct += $n / $elapsed.TotalSeconds
        $elapsed = Measure-Command { 1..$n | ForEach-Object { $null = New-KmsDataKeyPairWithoutPlaintext -KeyId $keyId -KeyPairSpec $spec -Region $region } }
        $perCall += $n / $elapsed.TotalSeconds
        $elapsed = Measure-Command { $objects | New-KmsDataKeyPairWithoutPlaintext -Region $region | Out-Null }
        $bound += $n / $elapsed.TotalSeconds
    }
    $pipelineRate = Get-Median $bound; $engineRate = Get-Median $direct
    [pscustomobject]@{
        spec = $spec; n = $n
        engine_in_pwsh_pairs_per_s = [math]::Round($engineRate, 1)
        foreach_pairs_per_s = [math]::Round((Get-Median $perCall), 1)
        pipeline_pairs_per_s = [math]::Round($pipelineRate, 1)
        pipeline_over_engine = [math]::Round($pipelineRate / $engineRate, 3)
        foreach_over_engine = [math]::Round((Get-Median $perCall) / $engineRate, 3)
    }
    Write-Host "  $spec`: engine $([math]::Round($engineRate, 1))/s, cmdlet pipeline $([math]::Round($pipelineRate, 1))/s"
}
foreach ($backend in $engines.Values) { $backend.Dispose() }

# 2. Import, against pwsh's own floor: a one-cmdlet binary module, imported by its dll path and (as every published
#    module is) through a minimal manifest. Alternating processes, each timing its own Import-Module with a stopwatch
#    (steadier than the whole process, whose start varies by +-30 ms here) and timed from outside as well. Taken on
#    this pwsh and, where crossgen2 restores, on a ReadyToRun copy of it: the PowerShell dotnet tool ships IL only, so
#    PowerShell's own first-use code paths are JIT-compiled there, and an installed pwsh (deb, msi, tar.gz) is
#    ReadyToRun. Then the first call.
$setup = "`$env:KMSTOOLS_HOME = '$work'"
$floorFolder = New-Item -ItemType Directory -Path (Join-Path $work 'OneCmdlet') -Force
$floorModule = Join-Path $floorFolder 'OneCmdlet.dll'
$floorManifest = Join-Path $floorFolder 'OneCmdlet.psd1'
Add-Type -OutputAssembly $floorModule -TypeDefinition @'
using System.Management.Automation;
[Cmdlet(VerbsCommon.Get, "OneThing")]
public sealed class GetOneThingCommand : PSCmdlet { protected override void ProcessRecord() => WriteObject(1); }
'@
Set-Content $floorManifest "@{ RootModule = 'OneCmdlet.dll'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; CmdletsToExport = @('Get-OneThing') }"
function Measure-Import([string] $Label, [string] $PwshDll, [int] $Rounds) {
    $commands = [ordered]@{ bare = '$null = 1'; dll = "Import-Module '$floorModule'"; manifest = "Import-Module '$floorManifest'"; kmstools = "Import-Module '$ModulePath'" }
    $inside = @{}; $outside = @{}
    foreach ($name in $commands.Keys) { $inside[$name] = [System.Collections.Generic.List[double]]::new(); $outside[$name] = [System.Collections.Generic.List[double]]::new() }
    foreach ($i in 1..$Rounds) {
        foreach ($name in $commands.Keys) {
            $timed = '$w = [System.Diagnostics.Stopwatch]::StartNew(); ' + $commands[$name] + '; $w.Elapsed.TotalMilliseconds'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $reported = & ([Environment]::ProcessPath) $PwshDll -NoProfile -NonInteractive -Command $timed
            $outside[$name].Add($clock.Elapsed.TotalMilliseconds)
            $inside[$name].Add([double]($reported | Select-Object -Last 1))
        }
    }
    $m = @{}; foreach ($name in $commands.Keys) { $m["in_$name"] = Get-Median $inside[$name]; $m["out_$name"] = Get-Median $outside[$name] }
    [pscustomobject][ordered]@{
        pwsh = $Label
        one_cmdlet_dll_import_ms = [math]::Round($m.in_dll - $m.in_bare, 1)
        one_cmdlet_manifest_import_ms = [math]::Round($m.in_manifest - $m.in_bare, 1)
        kmstools_import_ms = [math]::Round($m.in_kmstools - $m.in_bare, 1)
        over_one_cmdlet_dll_ms = [math]::Round($m.in_kmstools - $m.in_dll, 1)
        over_one_cmdlet_manifest_ms = [math]::Round($m.in_kmstools - $m.in_manifest, 1)
        per_process_over_one_cmdlet_dll_ms = [math]::Round($m.out_kmstools - $m.out_dll, 1)
        per_process_over_one_cmdlet_manifest_ms = [math]::Round($m.out_kmstools - $m.out_manifest, 1)
        bare_pwsh_process_ms = [math]::Round($m.out_bare, 1)
    }
}
$toolPwsh = if ((Split-Path ([Environment]::ProcessPath) -Leaf) -match '^dotnet(\.exe)?$') { Join-Path $PSHOME 'pwsh.dll' } else { $null }
$importRows = [System.Collections.Generic.List[object]]::new()
if ($toolPwsh) {
    $importRows.Add((Measure-Import 'this pwsh (IL only)' $toolPwsh 11))
    $readyToRun = & (Join-Path $PSScriptRoot 'New-ReadyToRunPwsh.ps1') -Destination (Join-Path $work 'r2r')
    if ($readyToRun) { $importRows.Add((Measure-Import 'ReadyToRun copy (as installed)' $readyToRun 15)) }
}
else { Write-Warning 'Import figures need pwsh run as a .NET application (dotnet pwsh); skipped.' }
$firstCall = foreach ($i in 1..6) {
    [double](Invoke-Pwsh "$setup; Import-Module '$ModulePath'; `$w = [Diagnostics.Stopwatch]::StartNew(); `$null = New-KmsDataKeyPairWithoutPlaintext -KeyId $($key.KeyId) -KeyPairSpec ECC_NIST_P256; `$w.Elapsed.TotalMilliseconds")
}
$firstCallMs = [math]::Round((Get-Median $firstCall), 1)
foreach ($row in $importRows) {
    Write-Host "  import, $($row.pwsh): $($row.kmstools_import_ms) ms; over a one-cmdlet module $($row.over_one_cmdlet_manifest_ms) ms (manifest), $($row.over_one_cmdlet_dll_ms) ms (dll alone)"
}
Write-Host "  first P-256 call after import: $firstCallMs ms"

# 3. What a user would do instead, same machine, same run.
$alternatives = [System.Collections.Generic.List[object]]::new()
$p256 = ($cmdletRows | Where-Object spec -eq 'ECC_NIST_P256').pipeline_pairs_per_s
if (Get-Command openssl -CommandType Application -ErrorAction SilentlyContinue) {
    $n = 40
    $elapsed = Measure-Command {
        foreach ($i in 1..$n) {
            & openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out (Join-Path $work 'k.pem') 2>$null
            & openssl pkey -in (Join-Path $work 'k.pem') -pubout -out (Join-Path $work 'k.pub') 2>$null
        }
    }
    $rate = $n / $elapsed.TotalSeconds
    $alternatives.Add([pscustomobject]@{ way = 'openssl genpkey + pkey loop, P-256 (no wrapping)'; items_per_s = [math]::Round($rate, 1); kmstools_items_per_s = $p256; kmstools_over_it = [math]::Round($p256 / $rate, 1) })
}
$moto = $null
if ((Get-Command moto_server -CommandType Application -ErrorAction SilentlyContinue) -and (Get-Command aws -CommandType Application -ErrorAction SilentlyContinue)) {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $moto = Start-Process moto_server -ArgumentList '-H', '127.0.0.1', '-p', $port -PassThru -RedirectStandardOutput (Join-Path $work 'moto.out') -RedirectStandardError (Join-Path $work 'moto.err')
    try {
        $endpoint = "http://127.0.0.1:$port"
        foreach ($i in 1..100) { try { $c = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $c.Dispose(); break } catch { Start-Sleep -Milliseconds 100 } }
        $env:AWS_ACCESS_KEY_ID = 'testing'; $env:AWS_SECRET_ACCESS_KEY = 'testing'; $env:AWS_DEFAULT_REGION = 'us-east-1'
        $remoteKey = New-KmsKey -EndpointUrl $endpoint
        $n = 8
        $elapsed = Measure-Command { foreach ($i in 1..$n) { & aws kms generate-data-key --key-id $remoteKey.KeyId --key-spec AES_256 --endpoint-url $endpoint | Out-Null } }
        $cli = $n / $elapsed.TotalSeconds
        $m = 200
        $elapsed = Measure-Command { 1..$m | ForEach-Object { [pscustomobject]@{ KeyId = $remoteKey.KeyId; KeySpec = 'AES_256' } } | New-KmsDataKey -EndpointUrl $endpoint | Out-Null }
        $remote = $m / $elapsed.TotalSeconds
        $elapsed = Measure-Command { 1..2000 | ForEach-Object { [pscustomobject]@{ KeyId = $key.KeyId; KeySpec = 'AES_256' } } | New-KmsDataKey | Out-Null }
        $local = 2000 / $elapsed.TotalSeconds
        $alternatives.Add([pscustomobject]@{ way = 'aws kms generate-data-key against moto, one CLI call per item'; items_per_s = [math]::Round($cli, 1); kmstools_items_per_s = [math]::Round($remote, 1); kmstools_over_it = [math]::Round($remote / $cli, 1) })
        $alternatives.Add([pscustomobject]@{ way = 'the same data keys, KmsTools local engine (New-KmsDataKey pipeline)'; items_per_s = [math]::Round($cli, 1); kmstools_items_per_s = [math]::Round($local, 1); kmstools_over_it = [math]::Round($local / $cli, 1) })
        $alternatives.Add([pscustomobject]@{ way = 'data key pairs: aws CLI has no local path; KmsTools P-256 pipeline'; items_per_s = [math]::Round($cli, 1); kmstools_items_per_s = $p256; kmstools_over_it = [math]::Round($p256 / $cli, 1) })
    }
    finally { if ($moto -and -not $moto.HasExited) { $moto.Kill() } }
}

# 4. Targets.
function Row($Target, $Figure, [bool] $Met) { [pscustomobject]@{ target = $Target; figure = $Figure; status = $(if ($Met) { 'met' } else { 'MISSED' }) } }
$targets = [System.Collections.Generic.List[object]]::new()
foreach ($row in $engine) {
    $floor = if ($row.spec -like 'RSA_*') { 0.95 } else { 0.8 }
    $value = if ($row.spec -like 'RSA_*') { $row.raw_over_raw_plus_overhead } else { $row.engine_over_raw }
    $how = if ($row.spec -like 'RSA_*') { "raw/(raw+engine overhead $($row.engine_overhead_us) us) = $value; direct ratio of means $($row.engine_over_raw) (RSA generation time varies widely)" } else { "$value (medians)" }
    $targets.Add((Row "engine/raw >= $floor for $($row.spec)" $how ($value -ge $floor)))
}
$targets.Add((Row 'ECC_NIST_P256 through the cmdlet >= 2,000 pairs/s' "$p256 pairs/s" ($p256 -ge 2000)))
foreach ($spec in 'ECC_NIST_P384', 'ECC_NIST_P521', 'SM2') {
    $row = $cmdletRows | Where-Object spec -eq $spec
    $targets.Add((Row "$spec cmdlet within 0.8 of engine" "$($row.pipeline_over_engine)" ($row.pipeline_over_engine -ge 0.8)))
}
foreach ($row in $importRows) {
    $targets.Add((Row "import <= 25 ms over a one-cmdlet binary module, $($row.pwsh)" "$($row.over_one_cmdlet_manifest_ms) ms over its manifest form, $($row.over_one_cmdlet_dll_ms) ms over its dll ($($row.kmstools_import_ms) ms in all)" ($row.over_one_cmdlet_manifest_ms -le 25)))
}
$targets.Add((Row 'first P-256 call after import <= 250 ms' "$firstCallMs ms" ($firstCallMs -le 250)))
foreach ($row in $signatures) {
    $targets.Add((Row "$($row.operation) engine/raw >= 0.8 for $($row.spec)" "$($row.engine_over_raw) ($($row.engine_per_s) against $($row.raw_per_s)/s)" ($row.engine_over_raw -ge 0.8)))
}
foreach ($row in $doomed) { $targets.Add((Row "doomed request < 1 ms: $($row.request)" "$($row.median_us) us" ($row.median_us -lt 1000))) }
$large = $scale | Where-Object benchmark -like 'GenerateDataKeyPair*'
$targets.Add((Row 'data-key call as fast with 100,000 keys as with 10' "ratio $($large.ratio_large_over_10)" ($large.ratio_large_over_10 -le 1.25)))
$update = $scale | Where-Object benchmark -like 'UpdateKeyDescription*'
if ($update) { $targets.Add((Row 'locked update as fast with 100,000 keys as with 10' "ratio $($update.ratio_large_over_10) ($($update.median_us_10_keys) / $($update.median_us_large) us)" ($update.ratio_large_over_10 -le 1.25))) }
$rsa4096 = $engine | Where-Object spec -eq 'RSA_4096'
$pool = Get-Content (Join-Path $Results 'pool.json') -Raw | ConvertFrom-Json
$targets.Add((Row 'RSA_4096 p50 < 100 ms with the opt-in pool (KMSTOOLS_RSA_POOL)' "$($pool.p50_ms) ms with a full pool; $([math]::Round($rsa4096.engine_median_us / 1000)) ms without" ($pool.p50_ms -lt 100)))

$table = { param($rows) $names = $rows[0].PSObject.Properties.Name; "| $($names -join ' | ') |"; "|$(($names | ForEach-Object { '---|' }) -join '')"; foreach ($r in $rows) { "| $(($names | ForEach-Object { $r.$_ }) -join ' | ') |" } }
$report = @('# KmsTools benchmarks', '', "Run $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC on $([Environment]::ProcessorCount) cores; ratios are taken within this run.", '',
    '## Targets', '', (& $table $targets), '',
    '## Key pairs: raw primitive, engine, cmdlet', '', (& $table @($engine)), '', (& $table @($cmdletRows)), '',
    '## Import', '', $(if ($importRows.Count) { & $table $importRows } else { '(not measured: pwsh was not run as a .NET application)' }), '', "First P-256 call after import: $firstCallMs ms", '',
    '## What a user would do instead', '', $(if ($alternatives.Count) { & $table $alternatives } else { '(openssl, aws or moto_server missing on this machine)' }), '',
    '## Sign and Verify: raw BouncyCastle signer against the engine', '', (& $table @($signatures)), '',
    '## Doomed requests', '', (& $table @($doomed)), '',
    '## RSA_4096 with the opt-in pool', '', (& $table @($pool)), '',
    '## Store scale', '', (& $table @($scale))) | ForEach-Object { $_ }
$report -join "`n" | Set-Content (Join-Path $Results 'report.md')
[pscustomobject]@{ cmdlets = $cmdletRows; import = $importRows; first_p256_call_ms = $firstCallMs; alternatives = $alternatives; targets = $targets } | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $Results 'cmdlets.json')
$report -join "`n"
Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
