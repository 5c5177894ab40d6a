<?xml version="1.0" encoding="UTF-8"?>
<!--
  aligner TEI report → one self-contained HTML page for editors (XSLT 1.0 + exsl:node-set).

  One table row per bead of linkGrp[@type='alignment'], source sentences left, target
  sentences right (right-to-left for Arabic and other RTL languages), each finding's
  evidence span wrapped in <mark class="sev-…"> from its #string-range() pointer, a
  findings panel linking both ways, and category/severity filters (small inline JS;
  the page reads fully without JS). Only static CSS/JS is emitted verbatim; every
  report value goes through the serializer, so it is escaped.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    extension-element-prefixes="exsl"
    exclude-result-prefixes="tei exsl">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <!-- Languages written right to left (ISO 639-1 prefixes of xml:lang). -->
  <xsl:variable name="rtl-langs" select="' ar fa ur he yi ps ku ckb dv sd ug '"/>

  <xsl:key name="id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:key name="finding-by-category" match="tei:note[@type='finding']" use="@subtype"/>
  <xsl:key name="finding-by-severity" match="tei:note[@type='finding']"
           use="substring-after(@ana, '#severity-')"/>

  <xsl:variable name="source-text" select="//tei:text[@xml:id='text-source']"/>
  <xsl:variable name="target-text" select="//tei:text[@xml:id='text-target']"/>
  <xsl:variable name="findings" select="//tei:listAnnotation[@type='findings']/tei:note[@type='finding']"/>
  <xsl:variable name="links" select="//tei:linkGrp[@type='alignment']/tei:link"/>

  <!-- Every highlight range as <r sid start end sev fid side/>: spans from the
       string-range pointers, the whole sentence when a cit points only to a sentence. -->
  <xsl:variable name="ranges-rtf">
    <xsl:for-each select="$findings/tei:cit">
      <xsl:variable name="sev" select="substring-after(../@ana, '#severity-')"/>
      <xsl:variable name="fid" select="../@xml:id"/>
      <xsl:variable name="span" select="tei:ptr[@type='span'][starts-with(@target, '#string-range(')]"/>
      <xsl:variable name="sent" select="tei:ptr[@type='sentence']"/>
      <xsl:choose>
        <xsl:when test="$span">
          <xsl:variable name="args" select="substring-before(substring-after($span[1]/@target, '#string-range('), ')')"/>
          <xsl:variable name="offset" select="number(substring-before(substring-after($args, ','), ','))"/>
          <xsl:variable name="length" select="number(substring-after(substring-after($args, ','), ','))"/>
          <r sid="{substring-before($args, ',')}" start="{$offset}" end="{$offset + $length}"
             sev="{$sev}" fid="{$fid}" side="{@type}"/>
        </xsl:when>
        <xsl:when test="$sent">
          <xsl:variable name="sid" select="substring-after($sent[1]/@target, '#')"/>
          <r sid="{$sid}" start="0" end="{string-length(string(key('id', $sid)))}"
             sev="{$sev}" fid="{$fid}" side="{@type}" whole="whole"/>
        </xsl:when>
      </xsl:choose>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="ranges" select="exsl:node-set($ranges-rtf)/r"/>

  <xsl:template match="/">
    <xsl:if test="not(tei:TEI) or not($links) or not($source-text) or not($target-text)">
      <xsl:message terminate="yes">not an aligner TEI report: TEI with text-source, text-target and linkGrp[@type='alignment'] expected</xsl:message>
    </xsl:if>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="aligner view.xsl"/>
        <title><xsl:value-of select="normalize-space(//tei:titleStmt/tei:title[@type='main'])"/></title>
        <style><xsl:call-template name="css"/></style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="//tei:titleStmt/tei:title[@type='main']"/></h1>
          <p class="files"><bdi><xsl:value-of select="//tei:titleStmt/tei:title[@type='sub']"/></bdi></p>
          <p class="summary"><xsl:value-of select="//tei:note[@type='summary']/tei:p"/></p>
          <xsl:for-each select="//tei:notesStmt/tei:note[@type='diagnosis']">
            <p class="diagnosis"><xsl:value-of select="."/></p>
          </xsl:for-each>
        </header>
        <div class="layout">
          <main>
            <table class="bitext">
              <thead>
                <tr>
                  <th class="n">#</th>
                  <th class="side" lang="{$source-text/@xml:lang}">
                    <xsl:call-template name="side-label"><xsl:with-param name="text" select="$source-text"/></xsl:call-template>
                  </th>
                  <th class="side" lang="{$target-text/@xml:lang}">
                    <xsl:call-template name="side-label"><xsl:with-param name="text" select="$target-text"/></xsl:call-template>
                  </th>
                  <th class="notes">Findings</th>
                </tr>
              </thead>
              <tbody>
                <xsl:apply-templates select="$links"/>
                <xsl:call-template name="unlinked"/>
              </tbody>
            </table>
            <xsl:call-template name="metadata"/>
          </main>
          <aside id="findings" aria-label="Findings">
            <xsl:call-template name="filters"/>
            <h2>Findings (<xsl:value-of select="count($findings)"/>)</h2>
            <xsl:choose>
              <xsl:when test="$findings">
                <ol class="findings">
                  <xsl:apply-templates select="$findings" mode="panel"/>
                </ol>
              </xsl:when>
              <xsl:otherwise><p class="none">No findings.</p></xsl:otherwise>
            </xsl:choose>
          </aside>
        </div>
        <script><xsl:call-template name="js"/></script>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="side-label">
    <xsl:param name="text"/>
    <xsl:variable name="bibl" select="key('id', concat('bibl-', $text/@type))"/>
    <xsl:value-of select="$text/@type"/>
    <xsl:text> · </xsl:text>
    <xsl:choose>
      <xsl:when test="$bibl/tei:textLang"><xsl:value-of select="$bibl/tei:textLang"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$text/@xml:lang"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== alignment rows ===== -->

  <xsl:template match="tei:link">
    <xsl:variable name="ids-rtf">
      <xsl:call-template name="split-pointers"><xsl:with-param name="list" select="normalize-space(@target)"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="ids" select="exsl:node-set($ids-rtf)/id"/>
    <xsl:variable name="row-id" select="concat('row-', @xml:id)"/>
    <!-- findings with evidence in one of this bead's sentences -->
    <xsl:variable name="here" select="$findings[tei:cit/tei:ptr[@type='sentence'][substring-after(@target, '#') = $ids]]"/>
    <tr id="{$row-id}" class="bead b{@type}" data-bead="{@type}">
      <xsl:if test="$here">
        <xsl:attribute name="data-findings">
          <xsl:for-each select="$here"><xsl:value-of select="@xml:id"/><xsl:if test="position() != last()"><xsl:text> </xsl:text></xsl:if></xsl:for-each>
        </xsl:attribute>
      </xsl:if>
      <td class="n"><a href="#{$row-id}" title="bead {@type}"><xsl:value-of select="substring-after(@xml:id, 'bead-')"/></a><span class="btype"><xsl:value-of select="@type"/></span></td>
      <xsl:call-template name="cell">
        <xsl:with-param name="text" select="$source-text"/>
        <xsl:with-param name="ids" select="$ids"/>
      </xsl:call-template>
      <xsl:call-template name="cell">
        <xsl:with-param name="text" select="$target-text"/>
        <xsl:with-param name="ids" select="$ids"/>
      </xsl:call-template>
      <td class="notes">
        <xsl:apply-templates select="$here" mode="row"/>
      </td>
    </tr>
  </xsl:template>

  <!-- Sentences that no bead mentions (should not happen; shown rather than lost). -->
  <xsl:template name="unlinked">
    <xsl:variable name="joined">
      <xsl:for-each select="$links"><xsl:text> </xsl:text><xsl:value-of select="translate(@target, '#', '')"/></xsl:for-each>
      <xsl:text> </xsl:text>
    </xsl:variable>
    <xsl:for-each select="($source-text | $target-text)//tei:s[not(contains($joined, concat(' ', @xml:id, ' ')))]">
      <xsl:variable name="id-rtf"><id><xsl:value-of select="@xml:id"/></id></xsl:variable>
      <xsl:variable name="sid" select="string(@xml:id)"/>
      <xsl:variable name="here" select="$findings[tei:cit/tei:ptr[@type='sentence'][substring-after(@target, '#') = $sid]]"/>
      <tr id="row-{@xml:id}" class="bead unlinked" data-bead="unaligned">
        <td class="n"><span class="btype">not aligned</span></td>
        <xsl:call-template name="cell">
          <xsl:with-param name="text" select="$source-text"/>
          <xsl:with-param name="ids" select="exsl:node-set($id-rtf)/id"/>
        </xsl:call-template>
        <xsl:call-template name="cell">
          <xsl:with-param name="text" select="$target-text"/>
          <xsl:with-param name="ids" select="exsl:node-set($id-rtf)/id"/>
        </xsl:call-template>
        <td class="notes"><xsl:apply-templates select="$here" mode="row"/></td>
      </tr>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="split-pointers">
    <xsl:param name="list"/>
    <xsl:variable name="head">
      <xsl:choose>
        <xsl:when test="contains($list, ' ')"><xsl:value-of select="substring-before($list, ' ')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$list"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:if test="string-length($head) &gt; 0">
      <id><xsl:value-of select="substring-after($head, '#')"/></id>
    </xsl:if>
    <xsl:if test="contains($list, ' ')">
      <xsl:call-template name="split-pointers"><xsl:with-param name="list" select="substring-after($list, ' ')"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="dir">
    <xsl:param name="lang"/>
    <xsl:variable name="primary">
      <xsl:choose>
        <xsl:when test="contains($lang, '-')"><xsl:value-of select="substring-before($lang, '-')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$lang"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="string-length($primary) &gt; 0 and contains($rtl-langs, concat(' ', translate($primary, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), ' '))">rtl</xsl:when>
      <xsl:otherwise>ltr</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="cell">
    <xsl:param name="text"/>
    <xsl:param name="ids"/>
    <xsl:variable name="dir">
      <xsl:call-template name="dir"><xsl:with-param name="lang" select="$text/@xml:lang"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="sentences" select="$text//tei:s[@xml:id = $ids]"/>
    <td class="side {$text/@type}" lang="{$text/@xml:lang}" dir="{$dir}">
      <xsl:choose>
        <xsl:when test="$sentences">
          <xsl:for-each select="$sentences">
            <xsl:variable name="sid" select="string(@xml:id)"/>
            <span class="s" id="s-{$sid}" data-sid="{$sid}" title="{$sid}">
              <xsl:call-template name="render">
                <xsl:with-param name="text" select="string(.)"/>
                <xsl:with-param name="pos" select="0"/>
                <xsl:with-param name="rs" select="$ranges[@sid = $sid]"/>
              </xsl:call-template>
            </span>
            <xsl:if test="position() != last()"><xsl:text> </xsl:text></xsl:if>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="class">side <xsl:value-of select="$text/@type"/> empty</xsl:attribute>
          <span class="none" lang="en" dir="ltr">no counterpart</span>
        </xsl:otherwise>
      </xsl:choose>
    </td>
  </xsl:template>

  <!-- Writes text[pos..] cutting it at every range boundary; a piece covered by
       findings becomes one <mark> classed by the worst severity covering it. -->
  <xsl:template name="render">
    <xsl:param name="text"/>
    <xsl:param name="pos"/>
    <xsl:param name="rs"/>
    <xsl:variable name="len" select="string-length($text)"/>
    <xsl:if test="$pos &lt; $len">
      <xsl:variable name="next-rtf">
        <xsl:for-each select="$rs/@start[number(.) &gt; $pos] | $rs/@end[number(.) &gt; $pos]">
          <xsl:sort select="number(.)" data-type="number"/>
          <xsl:if test="position() = 1"><xsl:value-of select="."/></xsl:if>
        </xsl:for-each>
      </xsl:variable>
      <xsl:variable name="next">
        <xsl:choose>
          <xsl:when test="string($next-rtf) != '' and number($next-rtf) &lt; $len"><xsl:value-of select="number($next-rtf)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$len"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="piece" select="substring($text, $pos + 1, $next - $pos)"/>
      <xsl:variable name="cover" select="$rs[number(@start) &lt;= $pos and number(@end) &gt;= $next]"/>
      <xsl:choose>
        <xsl:when test="$cover">
          <xsl:variable name="sev">
            <xsl:choose>
              <xsl:when test="$cover[@sev='error']">error</xsl:when>
              <xsl:when test="$cover[@sev='warning']">warning</xsl:when>
              <xsl:otherwise>info</xsl:otherwise>
            </xsl:choose>
          </xsl:variable>
          <mark class="sev-{$sev}">
            <!-- evidence that is a whole sentence (no span) is only underlined -->
            <xsl:if test="not($cover[not(@whole)])">
              <xsl:attribute name="class">sev-<xsl:value-of select="$sev"/> whole</xsl:attribute>
            </xsl:if>
            <xsl:attribute name="data-findings">
              <xsl:for-each select="$cover"><xsl:value-of select="@fid"/><xsl:if test="position() != last()"><xsl:text> </xsl:text></xsl:if></xsl:for-each>
            </xsl:attribute>
            <xsl:attribute name="title">
              <xsl:for-each select="$cover">
                <xsl:variable name="f" select="$findings[@xml:id = current()/@fid]"/>
                <xsl:value-of select="@sev"/><xsl:text>: </xsl:text><xsl:value-of select="normalize-space($f/tei:p)"/>
                <xsl:if test="position() != last()"><xsl:text>&#10;</xsl:text></xsl:if>
              </xsl:for-each>
            </xsl:attribute>
            <xsl:value-of select="$piece"/>
          </mark>
          <!-- a back-link after the last piece of each range -->
          <xsl:for-each select="$cover[number(@end) = $next]">
            <a class="ref sev-{@sev}" href="#{@fid}" data-findings="{@fid}" dir="ltr">
              <xsl:value-of select="substring-after(@fid, 'finding-')"/>
            </a>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$piece"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="render">
        <xsl:with-param name="text" select="$text"/>
        <xsl:with-param name="pos" select="$next"/>
        <xsl:with-param name="rs" select="$rs"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== findings ===== -->

  <xsl:template name="finding-attrs">
    <xsl:attribute name="data-category"><xsl:value-of select="@subtype"/></xsl:attribute>
    <xsl:attribute name="data-severity"><xsl:value-of select="substring-after(@ana, '#severity-')"/></xsl:attribute>
  </xsl:template>

  <xsl:template name="finding-body">
    <span class="sev sev-{substring-after(@ana, '#severity-')}"><xsl:value-of select="substring-after(@ana, '#severity-')"/></span>
    <xsl:text> </xsl:text>
    <code class="cat"><xsl:value-of select="@subtype"/></code>
    <xsl:if test="tei:fs[@type='finding']/tei:f[@name='confidence']">
      <span class="conf"> · confidence <xsl:value-of select="tei:fs[@type='finding']/tei:f[@name='confidence']/tei:numeric/@value"/></span>
    </xsl:if>
    <p class="msg" dir="ltr"><xsl:value-of select="tei:p"/></p>
    <xsl:for-each select="tei:cit[tei:bibl[@type='field']]">
      <p class="field">record field <code><xsl:value-of select="tei:bibl[@type='field']"/></code>: <bdi><xsl:value-of select="tei:quote"/></bdi></p>
    </xsl:for-each>
    <xsl:for-each select="tei:seg[@type='correction']">
      <xsl:variable name="dir">
        <xsl:call-template name="dir"><xsl:with-param name="lang" select="@xml:lang"/></xsl:call-template>
      </xsl:variable>
      <p class="corr">
        <span class="label">correction (<xsl:value-of select="@subtype"/>): </span>
        <del dir="{$dir}"><xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if><xsl:value-of select=".//tei:sic"/></del>
        <xsl:text> → </xsl:text>
        <ins dir="{$dir}"><xsl:if test="@xml:lang"><xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute></xsl:if><xsl:value-of select=".//tei:corr"/></ins>
      </p>
    </xsl:for-each>
  </xsl:template>

  <!-- the note in the row: anchor target of the marks' back-links is the panel item -->
  <xsl:template match="tei:note" mode="row">
    <div class="finding-note sev-{substring-after(@ana, '#severity-')}" data-findings="{@xml:id}">
      <xsl:call-template name="finding-attrs"/>
      <a class="ref" href="#{@xml:id}">#<xsl:value-of select="substring-after(@xml:id, 'finding-')"/></a>
      <xsl:text> </xsl:text>
      <xsl:call-template name="finding-body"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:note" mode="panel">
    <xsl:variable name="sid" select="substring-after(tei:cit/tei:ptr[@type='sentence'][1]/@target, '#')"/>
    <xsl:variable name="link" select="$links[contains(concat(@target, ' '), concat('#', $sid, ' '))][1]"/>
    <xsl:variable name="field" select="substring-after(tei:cit/tei:quote[@source][1]/@source, '#')"/>
    <li id="{@xml:id}" class="finding sev-{substring-after(@ana, '#severity-')}" data-findings="{@xml:id}">
      <xsl:call-template name="finding-attrs"/>
      <xsl:choose>
        <xsl:when test="$sid != '' and $link">
          <a class="goto" href="#row-{$link/@xml:id}">go to bead <xsl:value-of select="substring-after($link/@xml:id, 'bead-')"/></a>
        </xsl:when>
        <xsl:when test="$sid != ''">
          <a class="goto" href="#row-{$sid}">go to sentence</a>
        </xsl:when>
        <xsl:when test="$field != ''">
          <a class="goto" href="#meta-{$field}">go to record field</a>
        </xsl:when>
      </xsl:choose>
      <xsl:text> </xsl:text>
      <xsl:call-template name="finding-body"/>
    </li>
  </xsl:template>

  <xsl:template name="filters">
    <form id="filters" class="filters" hidden="hidden">
      <fieldset>
        <legend>Severity</legend>
        <xsl:for-each select="//tei:interpGrp[@type='severity']/tei:interp">
          <xsl:sort select="string-length(substring-before('error warning info', string(.)))" data-type="number"/>
          <xsl:variable name="n" select="count(key('finding-by-severity', string(.)))"/>
          <label class="sev-{.}"><input type="checkbox" checked="checked" data-filter="severity" value="{.}"/><xsl:text> </xsl:text><xsl:value-of select="."/> (<xsl:value-of select="$n"/>)</label>
        </xsl:for-each>
      </fieldset>
      <fieldset>
        <legend>Category</legend>
        <xsl:for-each select="$findings[generate-id() = generate-id(key('finding-by-category', @subtype)[1])]">
          <xsl:sort select="@subtype"/>
          <label><input type="checkbox" checked="checked" data-filter="category" value="{@subtype}"/><xsl:text> </xsl:text><code><xsl:value-of select="@subtype"/></code> (<xsl:value-of select="count(key('finding-by-category', @subtype))"/>)</label>
        </xsl:for-each>
      </fieldset>
      <label class="only"><input type="checkbox" id="only-findings"/> only rows with shown findings</label>
    </form>
  </xsl:template>

  <!-- ===== archive metadata (evidence of metadata.* findings) ===== -->

  <xsl:template name="metadata">
    <xsl:variable name="fields" select="//tei:sourceDesc//tei:bibl/*[@xml:id]"/>
    <xsl:variable name="removed" select="//tei:notesStmt/tei:note[@type='removed']"/>
    <xsl:if test="$fields or $removed">
      <section class="meta">
        <h2>Record metadata and removed text</h2>
        <xsl:if test="$fields">
          <table class="fields">
            <xsl:for-each select="$fields">
              <xsl:variable name="fid" select="string(@xml:id)"/>
              <xsl:variable name="hit" select="$findings[tei:cit/tei:quote/@source = concat('#', $fid)]"/>
              <tr id="meta-{$fid}">
                <th><xsl:value-of select="substring-after($fid, 'bibl-')"/></th>
                <td dir="auto">
                  <xsl:choose>
                    <xsl:when test="$hit">
                      <xsl:variable name="sev">
                        <xsl:choose>
                          <xsl:when test="$hit[@ana='#severity-error']">error</xsl:when>
                          <xsl:when test="$hit[@ana='#severity-warning']">warning</xsl:when>
                          <xsl:otherwise>info</xsl:otherwise>
                        </xsl:choose>
                      </xsl:variable>
                      <mark class="sev-{$sev}">
                        <xsl:attribute name="data-findings"><xsl:for-each select="$hit"><xsl:value-of select="@xml:id"/><xsl:if test="position() != last()"><xsl:text> </xsl:text></xsl:if></xsl:for-each></xsl:attribute>
                        <xsl:attribute name="title"><xsl:for-each select="$hit"><xsl:value-of select="normalize-space(tei:p)"/><xsl:if test="position() != last()"><xsl:text>&#10;</xsl:text></xsl:if></xsl:for-each></xsl:attribute>
                        <xsl:call-template name="field-value"/>
                      </mark>
                      <xsl:for-each select="$hit">
                        <a class="ref sev-{substring-after(@ana, '#severity-')}" href="#{@xml:id}" data-findings="{@xml:id}" dir="ltr"><xsl:value-of select="substring-after(@xml:id, 'finding-')"/></a>
                      </xsl:for-each>
                    </xsl:when>
                    <xsl:otherwise><xsl:call-template name="field-value"/></xsl:otherwise>
                  </xsl:choose>
                </td>
              </tr>
            </xsl:for-each>
          </table>
        </xsl:if>
        <xsl:if test="$removed">
          <details>
            <summary>Removed by ingest (<xsl:value-of select="count($removed)"/>)</summary>
            <xsl:for-each select="$removed">
              <div class="removed"><code><xsl:value-of select="@subtype"/></code><pre dir="auto"><xsl:value-of select="."/></pre></div>
            </xsl:for-each>
          </details>
        </xsl:if>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field-value">
    <xsl:choose>
      <xsl:when test="tei:list[@type='gloss']">
        <xsl:for-each select="tei:list/tei:label">
          <xsl:value-of select="."/><xsl:text>: </xsl:text><xsl:value-of select="following-sibling::tei:item[1]"/>
          <xsl:if test="position() != last()"><xsl:text> · </xsl:text></xsl:if>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="tei:list">
        <xsl:for-each select="tei:list/tei:item">
          <xsl:value-of select="normalize-space(.)"/>
          <xsl:if test="position() != last()"><xsl:text>، </xsl:text></xsl:if>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="."/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== static CSS and JS (no report data inside) ===== -->

  <xsl:template name="css">
:root { --error: #ffb3b3; --error-ink: #9b0000; --warning: #ffe08a; --warning-ink: #7a5200;
        --info: #bfe3ff; --info-ink: #004f87; --line: #d0d4da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; color: #1b1f24; background: #fff; }
header { padding: 10px 18px 6px; border-bottom: 1px solid var(--line); background: #f6f8fa; }
h1 { font-size: 18px; margin: 0 0 2px; }
h2 { font-size: 15px; margin: 14px 0 6px; }
header p { margin: 2px 0; font-size: 13px; color: #444; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 360px; align-items: start; }
main { padding: 8px 12px 40px 18px; min-width: 0; }
aside { position: sticky; top: 0; max-height: 100vh; overflow: auto; padding: 8px 14px 24px; border-left: 1px solid var(--line); background: #fbfbfc; font-size: 13px; }
table.bitext { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.bitext th { text-align: start; font-size: 12px; text-transform: uppercase; color: #555; padding: 4px 8px; border-bottom: 2px solid var(--line); }
table.bitext th.n, table.bitext td.n { width: 48px; }
table.bitext th.notes, table.bitext td.notes { width: 26%; }
table.bitext td { vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); background: #fff; }
td.n { font-size: 12px; color: #666; }
td.n a { color: inherit; }
.btype { display: block; font-size: 11px; color: #888; }
td.side[dir=rtl] { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", serif; font-size: 17px; line-height: 1.7; }
td.empty { background: repeating-linear-gradient(135deg, #fff, #fff 6px, #f1f1f1 6px, #f1f1f1 12px) !important; }
td.empty .none { color: #777; font-style: italic; font-size: 13px; }
tr.b1-0 td.n, tr.b0-1 td.n { border-inline-start: 3px solid #999; }
tr:target td { background: #fffbe6; }
.s:hover { outline: 1px dotted #999; }
mark { padding: 0 1px; border-radius: 2px; color: inherit; }
mark.sev-error { background: var(--error); }
mark.sev-warning { background: var(--warning); }
mark.sev-info { background: var(--info); }
mark.whole { background: transparent; border-radius: 0; text-decoration: underline 2px; text-underline-offset: 4px; }
mark.whole.sev-error { text-decoration-color: var(--error-ink); }
mark.whole.sev-warning { text-decoration-color: #d9a400; }
mark.whole.sev-info { text-decoration-color: #5aa9e6; }
mark.off { background: transparent; text-decoration: none; }
a.ref { font-size: 10px; vertical-align: super; text-decoration: none; padding: 0 2px; color: #333; }
.sev { display: inline-block; font-size: 11px; font-weight: bold; text-transform: uppercase; padding: 0 5px; border-radius: 3px; }
.sev.sev-error { background: var(--error); color: var(--error-ink); }
.sev.sev-warning { background: var(--warning); color: var(--warning-ink); }
.sev.sev-info { background: var(--info); color: var(--info-ink); }
.finding-note { font-size: 13px; margin: 0 0 6px; padding-inline-start: 6px; border-inline-start: 3px solid var(--line); }
.finding-note.sev-error { border-color: var(--error-ink); }
.finding-note.sev-warning { border-color: var(--warning-ink); }
.finding-note.sev-info { border-color: var(--info-ink); }
.finding-note p, li.finding p { margin: 2px 0; }
ol.findings { padding-inline-start: 22px; margin: 0; }
li.finding { margin: 0 0 10px; }
li.finding:target { background: #fffbe6; outline: 2px solid #e5c100; }
a.goto { float: inline-end; font-size: 12px; }
.corr del { background: #fde8e8; }
.corr ins { background: #e6f6e6; text-decoration: none; }
.corr .label, .conf { color: #666; font-size: 12px; }
code { font-size: 12px; }
td.notes, aside { overflow-wrap: anywhere; }
.filters fieldset { border: 1px solid var(--line); margin: 0 0 6px; padding: 4px 8px; }
.filters label { display: inline-block; margin-inline-end: 10px; }
.hidden { display: none !important; }
section.meta table.fields { border-collapse: collapse; font-size: 13px; }
section.meta th { text-align: start; padding: 2px 10px 2px 0; color: #555; font-weight: normal; vertical-align: top; }
section.meta td { padding: 2px 0; }
section.meta tr:target td { background: #fffbe6; }
pre { white-space: pre-wrap; margin: 2px 0 8px; font-size: 13px; }
@media print { aside { position: static; max-height: none; } .filters { display: none; } }
  </xsl:template>

  <xsl:template name="js">
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  form.hidden = false;
  var boxes = form.querySelectorAll("input[data-filter]");
  var only = document.getElementById("only-findings");
  function apply() {
    var on = { severity: {}, category: {} };
    boxes.forEach(function (b) { on[b.dataset.filter][b.value] = b.checked; });
    var shown = {};
    document.querySelectorAll("li.finding").forEach(function (li) {
      var ok = on.severity[li.dataset.severity] !== false &amp;&amp; on.category[li.dataset.category] !== false;
      shown[li.id] = ok;
      li.classList.toggle("hidden", !ok);
    });
    function anyShown(el) {
      return el.dataset.findings.split(" ").some(function (id) { return shown[id]; });
    }
    var rank = { info: 1, warning: 2, error: 3 };
    document.querySelectorAll("mark[data-findings]").forEach(function (m) {
      // recolour by the worst finding still shown; no colour when none is
      var worst = "";
      m.dataset.findings.split(" ").forEach(function (id) {
        var li = document.getElementById(id);
        if (shown[id] &amp;&amp; li &amp;&amp; (!worst || rank[li.dataset.severity] &gt; rank[worst])) { worst = li.dataset.severity; }
      });
      ["info", "warning", "error"].forEach(function (s) { m.classList.toggle("sev-" + s, s === worst); });
      m.classList.toggle("off", !worst);
    });
    document.querySelectorAll("a.ref[data-findings], .finding-note").forEach(function (n) { n.classList.toggle("hidden", !anyShown(n)); });
    document.querySelectorAll("tr.bead").forEach(function (tr) {
      var keep = !only.checked || (tr.dataset.findings !== undefined &amp;&amp; anyShown(tr));
      tr.classList.toggle("hidden", !keep);
    });
  }
  form.addEventListener("change", apply);
  apply();
}());
  </xsl:template>
</xsl:stylesheet>
