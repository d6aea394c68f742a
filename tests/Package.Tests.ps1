# build.ps1 -Task Package makes a .nupkg that PSResourceGet saves and PowerShell imports by name.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Root = Split-Path $PSScriptRoot -Parent
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ('kmstools-package-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $Work
    $script:HasPSResourceGet = [bool](Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet)

    # Each step in a pwsh of its own, with a data folder of its own: PSResourceGet keeps its repository list there.
    function Invoke-Step([string] $Name, [string] $Script, [string[]] $Arguments) {
        $saved = $env:XDG_DATA_HOME
        try {
            # It must exist: .NET answers an empty LocalApplicationData for a missing folder, and PSResourceGet then writes into the working folder.
            $env:XDG_DATA_HOME = (New-Item -ItemType Directory -Path (Join-Path $Work "data-$Name") -Force).FullName
            $process = Start-TestPwsh -ScriptPath $Script -Arguments $Arguments -StdOut (Join-Path $Work "$Name.out") -StdErr (Join-Path $Work "$Name.err")
            if (-not $process.WaitForExit(180000)) { $process.Kill(); throw "$Name did not finish in 3 minutes" }
            $process.WaitForExit()
        } finally { $env:XDG_DATA_HOME = $saved }
        $err = Get-Content (Join-Path $Work "$Name.err") -Raw
        if ($process.ExitCode -ne 0) { throw "$Name failed with exit code $($process.ExitCode): $err" }
        return Get-Content (Join-Path $Work "$Name.out")
    }
}

AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The package' {
    It 'is a .nupkg that Save-PSResource installs and Import-Module KmsTools loads by name in a fresh pwsh' {
        if (-not $HasPSResourceGet) { Set-ItResult -Skipped -Because 'Microsoft.PowerShell.PSResourceGet is not installed (it ships with PowerShell 7.4+)'; return }
        $output = Invoke-Step 'package' (Join-Path $Root 'build.ps1') @('-Task', 'Package', '-NoBuild')
        $nupkg = Get-ChildItem (Join-Path $Root 'out/package/repository') -Filter 'KmsTools.*.nupkg'
        $nupkg.Name | Should -BeExactly "KmsTools.$((Import-PowerShellDataFile $ModuleManifest).ModuleVersion).nupkg"
        ($output -join "`n") | Should -Match ([regex]::Escape($nupkg.FullName))

        $modules = Join-Path $Work 'modules'
        $null = New-Item -ItemType Directory -Path $modules
        $found = Invoke-Step 'save' (Join-Path $PSScriptRoot 'workers/PackageSave.ps1') @('-Repository', $nupkg.DirectoryName, '-Destination', $modules) | ConvertFrom-Json
        $found.Version | Should -BeExactly (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        $found.Tags | Should -Contain 'KMS'

        $savedHome = $env:KMSTOOLS_HOME
        try {
            $env:KMSTOOLS_HOME = Join-Path $Work 'store'
            $result = Invoke-Step 'import' (Join-Path $PSScriptRoot 'workers/PackageImport.ps1') @('-ModuleFolder', $modules) | ConvertFrom-Json
        } finally { $env:KMSTOOLS_HOME = $savedHome }
        $result.ModuleBase | Should -BeExactly (Join-Path $modules "KmsTools/$($found.Version)")
        $result.Cmdlets | Should -Be (Import-PowerShellDataFile $ModuleManifest).CmdletsToExport.Count
        $result.KeyPairSpec | Should -BeExactly 'ECC_NIST_P256'
        $result.PublicKeyPem | Should -Match '^-----BEGIN PUBLIC KEY-----'
        $result.PrivateKeyLength | Should -BeGreaterThan 100
        $result.Help | Should -Not -BeNullOrEmpty
        $result.Help | Should -Not -Match 'New-KmsDataKeyPairWithoutPlaintext \[' -Because 'the help of the package, not the syntax PowerShell makes up without it'
        Test-Path (Join-Path $Root 'PSResourceGet') | Should -BeFalse -Because 'PSResourceGet''s settings go to the temporary data folders'
    }
}
