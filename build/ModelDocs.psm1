# The KMS API model's documentation (HTML in kms-service-2.json) as the markdown of docs/: links, lists and code
# kept, which the man pages lose. Used by New-CmdletDocs.ps1 to write and refresh the cmdlet docs.

$script:Cmdlets = @{}

# Operation names in the documentation become links to this module's cmdlet for the operation, where there is one.
function Set-ModelDocsCmdletMap([hashtable] $OperationToCmdlet) { $script:Cmdlets = $OperationToCmdlet }

function ConvertFrom-ModelHtml {
    param([string] $Html)
    if (-not $Html) { return @() }
    $text = $Html -replace '\s+', ' '
    $text = [regex]::Replace($text, '<a href="([^"]+)">\s*(.*?)\s*</a>', { param($m) "[$($m.Groups[2].Value)]($($m.Groups[1].Value))" })
    $text = [regex]::Replace($text, '<a>\s*(\w+)\s*</a>', {
            param($m) $op = $m.Groups[1].Value
            if ($script:Cmdlets.ContainsKey($op)) { "[$op]($($script:Cmdlets[$op]).md)" } else { "``$op``" } })
    $text = [regex]::Replace($text, '<code>\s*(.*?)\s*</code>', { param($m) '`' + $m.Groups[1].Value + '`' })
    $text = [regex]::Replace($text, '<i>\s*(.*?)\s*</i>', { param($m) '*' + $m.Groups[1].Value + '*' })
    $text = [regex]::Replace($text, '<b>\s*(.*?)\s*</b>', { param($m) '**' + $m.Groups[1].Value + '**' })
    # Blocks: each paragraph, list item and note its own paragraph (a blank line apart), list items as "- ".
    $text = $text -replace '<note>', "`n`nNote: " -replace '</note>', "`n`n" -replace '<important>', "`n`nImportant: " -replace '</important>', "`n`n"
    $text = $text -replace '<li>\s*(<p>)?', "`n`n- " -replace '(</p>\s*)?</li>', "`n`n"
    $text = $text -replace '<dt>', "`n`n**" -replace '</dt>', '**' -replace '<dd>\s*(<p>)?', ': ' -replace '(</p>\s*)?</dd>', "`n`n"
    $text = $text -replace '</?(p|ul|ol|dl)>', "`n`n"
    # What is left is malformed nesting (the model has "<i><i>...</i> </i>"): drop the tags.
    $text = $text -replace '</?(i|b|code|a|p|li|ul|ol|dl|dt|dd|note|important)>', ''
    $text = $text -replace '&lt;', '<' -replace '&gt;', '>' -replace '&quot;', '"' -replace '&amp;', '&'
    # No space before punctuation (the model's "<b>Name</b> :" and "</i> .").
    $paragraphs = $text -split '\n\s*\n' | ForEach-Object { ($_ -replace '\s+', ' ' -replace '(?<=[\w*`)]) +(?=[.,;:](\s|$))', '').Trim() } | Where-Object { $_ -and $_ -ne '-' }
    # "Note: " at the start of a paragraph of its own, glued to the next one.
    $merged = [System.Collections.Generic.List[string]]::new()
    foreach ($paragraph in $paragraphs) {
        if ($merged.Count -and $merged[$merged.Count - 1] -match '^(Note|Important):$') { $merged[$merged.Count - 1] += " $paragraph" } else { $merged.Add($paragraph) }
    }
    return , $merged.ToArray()
}

# Every "text -> URL" link of the model's documentation, for restoring links that man-page text has lost.
function Get-ModelLinks {
    param([hashtable] $Model)
    $links = @{}
    $add = { param($html) foreach ($m in [regex]::Matches([string] $html, '<a href="([^"]+)">\s*(.*?)\s*</a>')) {
            $name = ($m.Groups[2].Value -replace '<[^>]+>', '' -replace '\s+', ' ').Trim()
            if ($name -and -not $links.ContainsKey($name)) { $links[$name] = $m.Groups[1].Value } } }
    foreach ($operation in $Model.operations.Values) { & $add $operation.documentation }
    foreach ($shape in $Model.shapes.Values) {
        & $add $shape.documentation
        if ($shape.members) { foreach ($member in $shape.members.Values) { & $add $member.documentation } }
    }
    return $links
}

# Man-page text made readable: no space before punctuation, and "see X in the ... Developer Guide" linked again.
function Repair-ManText {
    param([string] $Text, [hashtable] $Links)
    $text = $Text -replace ' +([.,;:)])(?=\s|$)', '$1' -replace '\( +', '('
    $text = [regex]::Replace($text, '(?<=\b[Ss]ee )(.+?)(?= in the (\*)?(Key Management Service|KMS|Amazon Web Services|AWS|CloudHSM|IAM)[^.]*(Guide|Reference))', {
            param($m)
            $parts = $m.Groups[1].Value -split ' and '
            ($parts | ForEach-Object { if ($Links.ContainsKey($_) -and $_ -notmatch '^\[') { "[$_]($($Links[$_]))" } else { $_ } }) -join ' and '
        })
    $text = [regex]::Replace($text, ' in the (Key Management Service Developer Guide|Amazon Web Services Key Management Service Developer Guide|IAM User Guide|Amazon Web Services General Reference)(?=[.,;]|\s|$)', ' in the *$1*')
    return $text
}

Export-ModuleMember -Function ConvertFrom-ModelHtml, Get-ModelLinks, Repair-ManText, Set-ModelDocsCmdletMap
