BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    # A stand-in for AWS.Tools.KeyManagementService: a binary module of that name whose cmdlets (cmdlets, as AWS
    # Tools' are: a function would win over any cmdlet) carry its names and answer 'aws-tools'.
    $names = Get-Content (Join-Path $PSScriptRoot 'fixtures/aws-tools-kms-cmdlets.txt') | Where-Object { $_ -and -not $_.StartsWith('#') }
    $folder = New-Item -ItemType Directory -Path (Join-Path $StoreHome 'AWS.Tools.KeyManagementService') -Force
    $classes = foreach ($name in $names) {
        $verb, $noun = $name -split '-', 2
        "[Cmdlet(`"$verb`", `"$noun`")] public sealed class $($verb)$($noun)Command : PSCmdlet { [Parameter(ValueFromRemainingArguments = true)] public object[] Rest { get; set; } protected override void EndProcessing() { WriteObject(`"aws-tools`"); } }"
    }
    Add-Type -OutputAssembly (Join-Path $folder 'AWS.Tools.KeyManagementService.dll') -TypeDefinition ("using System.Management.Automation;`n" + ($classes -join "`n"))
    New-ModuleManifest -Path (Join-Path $folder 'AWS.Tools.KeyManagementService.psd1') -RootModule 'AWS.Tools.KeyManagementService.dll' -CmdletsToExport $names
    $script:StandIn = Join-Path $folder 'AWS.Tools.KeyManagementService.psd1'
    $script:AwsNames = $names

    function Invoke-Coexistence([string] $Mode) {
        $out = Join-Path $StoreHome "coexistence-$Mode.out"; $err = Join-Path $StoreHome "coexistence-$Mode.err"
        $probe = Start-TestPwsh -ScriptPath (Join-Path $PSScriptRoot 'workers/CoexistenceProbe.ps1') `
            -Arguments @('-ModulePath', $ModuleManifest, '-StandIn', $StandIn, '-Mode', $Mode) -StdOut $out -StdErr $err
        $probe.WaitForExit(60000) | Should -BeTrue
        Get-Content $err -Raw | Should -BeNullOrEmpty
        Get-Content $out -Raw | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item $script:StoreHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Living beside AWS Tools for PowerShell' {
    It 'the names that clash are the ones the README lists' {
        $ours = (Get-Module KmsTools).ExportedCmdlets.Keys
        $clashing = @($ours | Where-Object { $AwsNames -contains $_ } | Sort-Object)
        $clashing.Count | Should -Be 43
        @($ours | Where-Object { $AwsNames -notcontains $_ } | Sort-Object) | Should -Be @('Get-KmsAlias', 'Get-KmsEncryptedMessage', 'Get-KmsGrant', 'Get-KmsKeyLastUsage', 'Get-KmsRandom', 'Get-KmsServer', 'Import-KmsKeyStoreSeed', 'Protect-KmsData', 'Protect-KmsFile', 'Start-KmsServer', 'Stop-KmsServer', 'Unprotect-KmsData', 'Unprotect-KmsFile')
        # PowerShell's command names are case-insensitive: New-KmsKey and New-KMSKey are one name.
        $clashing | Should -Contain 'New-KmsDataKeyPairWithoutPlaintext'
    }

    It 'whichever loads last answers an unqualified name; the module-qualified name always reaches KmsTools' -ForEach @('KmsToolsLast', 'AwsToolsLast') {
        $result = Invoke-Coexistence $_
        if ($_ -eq 'KmsToolsLast') { $result.UnqualifiedModule | Should -Be 'KmsTools'; $result.Unqualified | Should -Be 'KeyMetadata' }
        else { $result.UnqualifiedModule | Should -Be 'AWS.Tools.KeyManagementService'; $result.Unqualified | Should -Be 'String' }
        $result.Qualified | Should -Be 'ECC_NIST_P256'
        $result.AwsQualified | Should -Be 'aws-tools'
    }

    It 'Import-Module KmsTools -Prefix Local gives every cmdlet a name of its own' {
        $result = Invoke-Coexistence 'Prefix'
        $result.Prefixed | Should -Be 'ECC_NIST_P256'
        $result.UnqualifiedModule | Should -Be 'AWS.Tools.KeyManagementService'
        $result.PrefixedNames | Should -Contain 'New-LocalKmsDataKeyPairWithoutPlaintext'
        @($result.PrefixedNames | Where-Object { $AwsNames -contains $_ }).Count | Should -Be 0
    }
}
