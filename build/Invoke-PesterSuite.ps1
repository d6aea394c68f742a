# Runs the Pester suite in its own process (a binary module cannot be unloaded) and writes a JSON summary.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $TestsPath,
    [Parameter(Mandatory)] [string] $ResultDirectory
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -MinimumVersion 5.7.1
$config = New-PesterConfiguration
# Every file once; the data-key suites a second time through Start-KmsServer (the same tests, both ways).
$config.Run.Container = @(New-PesterContainer -Path $TestsPath) +
    @('DataKeys.Tests.ps1', 'NewKmsDataKeyPairWithoutPlaintext.Tests.ps1' | ForEach-Object { New-PesterContainer -Path (Join-Path $TestsPath $_) -Data @{ Through = 'Server' } })
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $config
# The counts first, the report after: a failure message with a control character (a child process's coloured error
# text) makes the NUnit writer throw, and that must not cost the run its counts.
[pscustomobject]@{
    Passed = $result.PassedCount
    Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
} | ConvertTo-Json | Set-Content -Path (Join-Path $ResultDirectory 'pester-summary.json')
try { Export-NUnitReport -Result $result -Path (Join-Path $ResultDirectory 'pester.xml') }
catch { Write-Warning "pester.xml was not written: $($_.Exception.Message)" }
