<#
.SYNOPSIS
    Turns docs/ (platyPS markdown schema 2.0.0) into the help PowerShell reads: <module>.dll-Help.xml (MAML)
    and about_*.help.txt. It is the fallback of build.ps1 -Task Help where platyPS's New-ExternalHelp is not
    installed, and reads the same schema: front matter, SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS with
    their yaml blocks, INPUTS, OUTPUTS, NOTES, RELATED LINKS.
#>
param(
    [Parameter(Mandatory)] [string] $Docs,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Split-Sections([string[]] $Lines, [string] $Prefix) {
    # Headings of one level, outside code fences, to the lines under each.
    $sections = [ordered]@{}; $current = $null; $fenced = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $fenced = -not $fenced }
        if (-not $fenced -and $line.StartsWith($Prefix) -and -not $line.StartsWith($Prefix + '#')) {
            $current = $line.Substring($Prefix.Length).Trim(); $sections[$current] = [System.Collections.Generic.List[string]]::new(); continue
        }
        if ($null -ne $current) { $sections[$current].Add($line) }
    }
    return $sections
}

function Get-Paragraphs([string[]] $Lines) {
    # Blank-line separated paragraphs; code fences stay whole, as their own paragraph.
    $paragraphs = [System.Collections.Generic.List[string]]::new(); $current = [System.Collections.Generic.List[string]]::new(); $fenced = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') {
            $fenced = -not $fenced
            if (-not $fenced) { $paragraphs.Add(($current -join "`n")); $current.Clear() }
            elseif ($current.Count) { $paragraphs.Add(($current -join ' ')); $current.Clear() }
            continue
        }
        if ($fenced) { $current.Add($line); continue }
        if ($line.Trim() -eq '') { if ($current.Count) { $paragraphs.Add(($current -join ' ')); $current.Clear() } }
        else {
            # A list item ("- ...") is a paragraph of its own, so that Get-Help shows one member or item per line.
            if ($line -match '^\s*- ' -and $current.Count) { $paragraphs.Add(($current -join ' ')); $current.Clear() }
            $current.Add($line.Trim())
        }
    }
    if ($current.Count) { $paragraphs.Add(($current -join ' ')) }
    return ,$paragraphs
}

function Read-CmdletDoc([string] $Path) {
    $lines = Get-Content $Path
    if ($lines[0] -ne '---') { throw "$Path has no front matter." }
    $end = [Array]::IndexOf($lines, '---', 1)
    $front = @{}
    foreach ($line in $lines[1..($end - 1)]) { if ($line -match '^([^:]+):\s*(.*)$') { $front[$Matches[1].Trim()] = $Matches[2].Trim() } }
    $body = $lines[($end + 1)..($lines.Count - 1)]
    $title = ($body | Where-Object { $_ -match '^# ' } | Select-Object -First 1).Substring(2).Trim()
    $sections = Split-Sections $body '## '
    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS') {
        if (-not $sections.Contains($required)) { throw "$Path has no '## $required' section." }
    }
    $parameters = foreach ($entry in (Split-Sections $sections['PARAMETERS'] '### ').GetEnumerator()) {
        if ($entry.Key -eq 'CommonParameters') { continue }
        $lines = [string[]]$entry.Value
        $yamlStart = [Array]::IndexOf($lines, '```yaml'); $yamlEnd = [Array]::IndexOf($lines, '```', $yamlStart + 1)
        $yaml = @{}
        foreach ($line in $lines[($yamlStart + 1)..($yamlEnd - 1)]) { if ($line -match '^([^:]+):\s*(.*)$') { $yaml[$Matches[1].Trim()] = $Matches[2].Trim() } }
        [pscustomobject]@{
            Name = $entry.Key.TrimStart('-'); Description = Get-Paragraphs $lines[0..($yamlStart - 1)]
            Type = $yaml['Type']; Sets = @($yaml['Parameter Sets'] -split ',\s*'); Aliases = $yaml['Aliases']
            Accepted = if ($yaml.ContainsKey('Accepted values') -and $yaml['Accepted values']) { @($yaml['Accepted values'] -split ',\s*') } else { @() }
            Required = $yaml['Required'] -eq 'True'; Position = $yaml['Position']; Default = $yaml['Default value']
            Pipeline = $yaml['Accept pipeline input']; Wildcards = $yaml['Accept wildcard characters']
        }
    }
    $examples = foreach ($entry in (Split-Sections $sections['EXAMPLES'] '### ').GetEnumerator()) {
        $paragraphs = Get-Paragraphs ([string[]]$entry.Value)
        $code = ($entry.Value | Select-String '^```' | Select-Object -First 1)
        [pscustomobject]@{ Title = $entry.Key; Code = $paragraphs[0]; Remarks = @($paragraphs | Select-Object -Skip 1) }
    }
    $types = { param($section) foreach ($entry in (Split-Sections $section '### ').GetEnumerator()) { [pscustomobject]@{ Name = $entry.Key; Description = Get-Paragraphs ([string[]]$entry.Value) } } }
    $syntaxSections = Split-Sections $sections['SYNTAX'] '### '
    $setNames = @($syntaxSections.Keys | ForEach-Object { $_ -replace '\s*\(Default\)$', '' })
    $syntaxText = @{}
    foreach ($key in $syntaxSections.Keys) { $syntaxText[($key -replace '\s*\(Default\)$', '')] = ($syntaxSections[$key] -join ' ') }
    [pscustomobject]@{
        Name = $title; Front = $front; SyntaxText = $syntaxText; Synopsis = (Get-Paragraphs $sections['SYNOPSIS']) -join ' '
        Description = Get-Paragraphs $sections['DESCRIPTION']; Sets = $setNames; Parameters = @($parameters); Examples = @($examples)
        Inputs = @(& $types $sections['INPUTS']); Outputs = @(& $types $sections['OUTPUTS']); Notes = Get-Paragraphs $sections['NOTES']
        Links = @($sections['RELATED LINKS'] | Where-Object { $_ -match '^\[(.+)\]\((.*)\)' } | ForEach-Object { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } })
    }
}

function IsRequiredIn($Doc, $Parameter, [string] $Set) {
    # The yaml block says Required for the parameter as a whole: true when it is mandatory in any set. In a set where
    # it is optional (the -CliInputJson set), the markdown's syntax block is the truth.
    if (-not $Parameter.Required) { return $false }
    # Mandatory: "-Name <type>" or "[-Name] <type>" not inside an optional bracket.
    return $Doc.SyntaxText[$Set] -match "(^|\s)(\[-$($Parameter.Name)\]|-$($Parameter.Name)) <"
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'; $command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'; $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

# Markdown inline to the plain text Get-Help prints: links as "text (URL)", a link to another cmdlet's doc as
# "Operation (Cmdlet)", no emphasis or code marks. Code fences are left as they are.
function ConvertTo-PlainText([string] $Text) {
    if ($Text -match '^```|\n') { return $Text }
    $text = [regex]::Replace($Text, '\[([^\]]+)\]\(([\w-]+)\.md\)', { param($m) if ($m.Groups[1].Value -eq $m.Groups[2].Value) { $m.Groups[1].Value } else { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } })
    $text = [regex]::Replace($text, '\[([^\]]+)\]\((https?://[^)]+)\)', '$1 ($2)')
    $text = [regex]::Replace($text, '\*\*([^*]+)\*\*', '$1')
    $text = [regex]::Replace($text, '(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])', '$1')
    return [regex]::Replace($text, '`([^`]+)`', '$1')
}

function Write-Paras($Writer, $Paragraphs) {
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $maml, (ConvertTo-PlainText $paragraph)) }
}

function Write-Parameter($Writer, $Parameter, [bool] $Required, [string] $Position, [bool] $InSyntax = $false) {
    $Writer.WriteStartElement('command', 'parameter', $command)
    $Writer.WriteAttributeString('required', $Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', ($Parameter.Type -like '*[[]]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', ($Parameter.Wildcards -eq 'True').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $Writer.WriteAttributeString('position', $(if ($Position -eq 'Named') { 'named' } else { $Position }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    # Syntax lists show no descriptions; leaving them out keeps the help file small.
    $Writer.WriteStartElement('maml', 'description', $maml); if (-not $InSyntax) { Write-Paras $Writer $Parameter.Description }; $Writer.WriteEndElement()
    if (@($Parameter.Accepted | Where-Object { $_ }).Count) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $command)
        foreach ($value in $Parameter.Accepted) {
            $Writer.WriteStartElement('command', 'parameterValue', $command); $Writer.WriteAttributeString('required', 'false'); $Writer.WriteAttributeString('variableLength', 'false'); $Writer.WriteString($value); $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    if ($Parameter.Type -ne 'SwitchParameter') {
        $Writer.WriteStartElement('command', 'parameterValue', $command); $Writer.WriteAttributeString('required', 'true'); $Writer.WriteAttributeString('variableLength', 'false'); $Writer.WriteString($Parameter.Type); $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $dev); $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Type); $Writer.WriteElementString('maml', 'uri', $maml, ''); $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $dev, $Parameter.Default)
    $Writer.WriteEndElement()
}

$null = New-Item -ItemType Directory -Path $OutputPath -Force
$docsFiles = Get-ChildItem $Docs -Filter '*.md' | Sort-Object Name
$cmdletDocs = foreach ($file in $docsFiles) {
    $first = Get-Content $file.FullName -TotalCount 3
    if ($first[0] -eq '---' -and ($first -match '^external help file:')) { Read-CmdletDoc $file.FullName }
}
$byHelpFile = $cmdletDocs | Group-Object { $_.Front['external help file'] }
foreach ($group in $byHelpFile) {
    $settings = [System.Xml.XmlWriterSettings]::new(); $settings.Indent = $true; $settings.Encoding = [System.Text.UTF8Encoding]::new($false); $settings.NewLineChars = "`n"
    $path = Join-Path $OutputPath $group.Name
    $writer = [System.Xml.XmlWriter]::Create($path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh'); $writer.WriteAttributeString('schema', 'maml')
        foreach ($doc in $group.Group | Sort-Object Name) {
            $writer.WriteStartElement('command', 'command', $command)
            $writer.WriteAttributeString('xmlns', 'maml', $null, $maml); $writer.WriteAttributeString('xmlns', 'command', $null, $command); $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
            $writer.WriteStartElement('command', 'details', $command)
            $writer.WriteElementString('command', 'name', $command, $doc.Name)
            $writer.WriteElementString('command', 'verb', $command, $doc.Name.Split('-')[0])
            $writer.WriteElementString('command', 'noun', $command, $doc.Name.Split('-', 2)[1])
            $writer.WriteStartElement('maml', 'description', $maml); Write-Paras $writer @($doc.Synopsis); $writer.WriteEndElement()
            $writer.WriteEndElement()
            $writer.WriteStartElement('maml', 'description', $maml); Write-Paras $writer $doc.Description; $writer.WriteEndElement()
            $writer.WriteStartElement('command', 'syntax', $command)
            foreach ($set in $doc.Sets) {
                $writer.WriteStartElement('command', 'syntaxItem', $command)
                $writer.WriteElementString('maml', 'name', $maml, $doc.Name)
                $inSet = $doc.Parameters | Where-Object { $_.Sets -contains '(All)' -or $_.Sets -contains $set }
                $ordered = @($inSet | Where-Object { $_.Position -ne 'Named' } | Sort-Object { [int]$_.Position }) + @($inSet | Where-Object { $_.Position -eq 'Named' } | Sort-Object { -not $_.Required }, Name)
                foreach ($parameter in $ordered) { Write-Parameter $writer $parameter (IsRequiredIn $doc $parameter $set) $parameter.Position $true }
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteStartElement('command', 'parameters', $command)
            foreach ($parameter in $doc.Parameters) { Write-Parameter $writer $parameter $parameter.Required $parameter.Position }
            $writer.WriteEndElement()
            foreach ($kind in @(@('inputTypes', 'inputType', $doc.Inputs), @('returnValues', 'returnValue', $doc.Outputs))) {
                $writer.WriteStartElement('command', $kind[0], $command)
                foreach ($type in $kind[2]) {
                    $writer.WriteStartElement('command', $kind[1], $command)
                    $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, $type.Name); $writer.WriteEndElement()
                    $writer.WriteStartElement('maml', 'description', $maml); Write-Paras $writer $type.Description; $writer.WriteEndElement()
                    $writer.WriteEndElement()
                }
                $writer.WriteEndElement()
            }
            $writer.WriteStartElement('maml', 'alertSet', $maml); $writer.WriteStartElement('maml', 'alert', $maml); Write-Paras $writer $doc.Notes; $writer.WriteEndElement(); $writer.WriteEndElement()
            $writer.WriteStartElement('command', 'examples', $command)
            foreach ($example in $doc.Examples) {
                $writer.WriteStartElement('command', 'example', $command)
                $writer.WriteElementString('maml', 'title', $maml, "-------------------------- $($example.Title) --------------------------")
                $writer.WriteElementString('dev', 'code', $dev, $example.Code)
                $writer.WriteStartElement('dev', 'remarks', $dev); Write-Paras $writer $example.Remarks; $writer.WriteEndElement()
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteStartElement('command', 'relatedLinks', $command)
            foreach ($link in $doc.Links) {
                $writer.WriteStartElement('maml', 'navigationLink', $maml); $writer.WriteElementString('maml', 'linkText', $maml, $link.Text)
                $writer.WriteElementString('maml', 'uri', $maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' })); $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement(); $writer.WriteEndDocument()
    } finally { $writer.Dispose() }
    Write-Host "Wrote $path ($($group.Group.Count) cmdlets)"
}

# about_ topics: headings become upper-case titles, text is indented, as in PowerShell's own about files.
foreach ($file in $docsFiles | Where-Object Name -like 'about_*.md') {
    $topic = $file.BaseName
    $text = [System.Text.StringBuilder]::new()
    $null = $text.AppendLine('TOPIC').AppendLine("    $topic").AppendLine()
    $fenced = $false
    foreach ($line in Get-Content $file.FullName) {
        if ($line -match "^#+ $([regex]::Escape($topic))\s*$") { continue }
        if ($line -match '^```') { $fenced = -not $fenced; continue }
        if (-not $fenced -and $line -match '^# (.+)$') { $null = $text.AppendLine($Matches[1].ToUpperInvariant()); continue }
        if (-not $fenced -and $line -match '^## (.+)$') { $null = $text.AppendLine("  $($Matches[1].ToUpperInvariant())"); continue }
        $null = $text.AppendLine($(if ($line.Trim()) { "    $line" } else { '' }))
    }
    $path = Join-Path $OutputPath "$topic.help.txt"
    [IO.File]::WriteAllText($path, ($text.ToString().TrimEnd() + "`n"), [System.Text.UTF8Encoding]::new($false))
    Write-Host "Wrote $path"
}
