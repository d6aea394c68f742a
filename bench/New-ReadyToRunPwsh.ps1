<#
.SYNOPSIS
    A copy of this pwsh with its own assemblies compiled ReadyToRun, as PowerShell's release packages (deb, rpm, msi,
    tar.gz) ship them. The PowerShell dotnet tool ships IL only, so every code path PowerShell takes for the first time
    in a session is JIT-compiled: import figures taken on it are about three times what users of an installed pwsh see.
    Prints the path of the copy's pwsh.dll, or nothing (with a warning saying what is missing) when crossgen2 cannot be
    restored.
#>
param([Parameter(Mandatory)] [string] $Destination)
$ErrorActionPreference = 'Stop'
$runtime = [System.Runtime.InteropServices.RuntimeInformation]
$rid = $runtime::RuntimeIdentifier -replace '^[^-]+', ($(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }))
$version = [Environment]::Version.ToString()
$project = Join-Path $Destination 'restore'
New-Item -ItemType Directory -Path $project -Force | Out-Null
Set-Content (Join-Path $project 'restore.csproj') @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$([Environment]::Version.Major).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Microsoft.NETCore.App.Crossgen2.$rid" Version="[$version]" /></ItemGroup>
</Project>
"@
$packages = Join-Path $project 'packages'
dotnet restore (Join-Path $project 'restore.csproj') --packages $packages *> $null
$crossgen = Get-ChildItem -Path $packages -Recurse -File -Include 'crossgen2', 'crossgen2.exe' -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $crossgen) {
    Write-Warning "ReadyToRun pwsh skipped: Microsoft.NETCore.App.Crossgen2.$rid $version could not be restored from NuGet."
    return
}
$copy = Join-Path $Destination 'pwsh'
Copy-Item -Path $PSHOME -Destination $copy -Recurse -Force
$framework = Split-Path ([object].Assembly.Location)
$arch = $runtime::ProcessArchitecture.ToString().ToLowerInvariant()
$os = $rid.Split('-')[0] -replace '^win$', 'windows'
foreach ($assembly in Get-ChildItem -Path $copy -Filter '*.dll' -File) {
    $reader = [System.Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($assembly.FullName))
    try { $managedIl = $reader.HasMetadata -and $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -eq 0 } finally { $reader.Dispose() }
    if (-not $managedIl) { continue }
    $compiled = "$($assembly.FullName).r2r"
    # A response file: pwsh on Unix expands a '*' in a native command's argument itself, which would turn the
    # reference patterns into input files.
    $response = Join-Path $Destination 'crossgen.rsp'
    Set-Content $response @(
        "-r:$(Join-Path $framework '*.dll')", "-r:$(Join-Path $copy '*.dll')", "--targetos:$os", "--targetarch:$arch", '-O',
        "--out:$compiled", $assembly.FullName)
    & $crossgen.FullName "@$response" 2>&1 | Write-Verbose
    if ($LASTEXITCODE -eq 0) { Move-Item $compiled $assembly.FullName -Force } else { Remove-Item $compiled -ErrorAction SilentlyContinue }
}
Join-Path $copy 'pwsh.dll'
