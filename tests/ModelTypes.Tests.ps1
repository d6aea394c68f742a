# The request and response types are generated from the embedded API model (build/Update-ModelTypes.ps1).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Root = Split-Path $PSScriptRoot -Parent
    $script:ModelPath = Join-Path $Root 'src/KmsTools.Core/Model/kms-model.json'
    $script:Api = Get-Content $ModelPath -Raw | ConvertFrom-Json -AsHashtable
    # The engine's assembly lives in the module's load context, where type literals do not reach: take it from a cmdlet's output type.
    $script:CoreAssembly = (Get-Command Get-KmsKey).OutputType[0].Type.Assembly
}

Describe 'Model-generated types' {
    It 'the committed generated code is what the generator makes of the committed model' {
        $fresh = Join-Path ([IO.Path]::GetTempPath()) "KmsShapes-$([guid]::NewGuid().ToString('N')).g.cs"
        try {
            & (Join-Path $Root 'build/Update-ModelTypes.ps1') -Model $ModelPath -Output $fresh
            $committed = Get-Content (Join-Path $Root 'src/KmsTools.Core/Model/Generated/KmsShapes.g.cs') -Raw
            (Get-Content $fresh -Raw) | Should -BeExactly $committed -Because 'the model changed: run dotnet pwsh ./build/Update-ModelTypes.ps1 and commit the result'
        } finally { Remove-Item $fresh -ErrorAction SilentlyContinue }
    }

    It 'every operation of the API model has its request and response type, with every member of the model' {
        foreach ($operation in $Api.operations.get_Keys()) {
            $request = $CoreAssembly.GetType("KmsTools.Model.$($Api.operations[$operation].input)", $true)
            $outputShape = $Api.operations[$operation].output
            $response = $CoreAssembly.GetType("KmsTools.Model.$(if ($outputShape) { $outputShape } else { "${operation}Response" })", $true)
            foreach ($pair in @(@($request, $Api.operations[$operation].input), @($response, $outputShape))) {
                if (-not $pair[1]) { $pair[0].GetProperties().Count | Should -Be 0 -Because "$operation returns no members"; continue }
                $expected = @($Api.shapes[$pair[1]].members.get_Keys())
                $actual = @($pair[0].GetProperties() | Where-Object { $_.CustomAttributes.AttributeType.Name -notcontains 'JsonIgnoreAttribute' } | ForEach-Object Name)
                $actual | Should -Be $expected -Because "$($pair[1]) has these members, in this order"
            }
        }
    }

    It 'every backend operation takes its request and returns its response, void operations included' {
        $methods = $CoreAssembly.GetType('KmsTools.IKmsBackend', $true).GetMethods() | Where-Object { -not $_.IsSpecialName }
        $methods.Count | Should -BeGreaterThan 28
        foreach ($method in $methods) {
            # The model shares one response shape between some operations (ListRetirableGrants answers ListGrantsResponse).
            $expected = @{ ListRetirableGrants = 'ListGrantsResponse' }[$method.Name] ?? "$($method.Name)Response"
            $method.ReturnType.Name | Should -BeExactly $expected
            $method.GetParameters()[0].ParameterType.Name | Should -BeExactly "$($method.Name)Request"
        }
    }

    It 'a void operation writes nothing, as objects or as CLI output' {
        $key = New-KmsKey -Description 'void operations'
        Disable-KmsKey -KeyId $key.KeyId | Should -BeNullOrEmpty
        Enable-KmsKey -KeyId $key.KeyId -Output json | Should -BeNullOrEmpty
        (Get-KmsKey -KeyId $key.KeyId).KeyState | Should -BeExactly 'Enabled'
    }
}
