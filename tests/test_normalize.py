from rongzhi.assistant.query import EN, ZH_HANS, ZH_HANT, detect_language
from rongzhi.core.normalize import count_script_chars, to_simplified, to_traditional
from rongzhi.core.numerals import cn_to_int, int_to_cn


def test_taiwan_wording_maps_to_mainland_terms():
    assert to_simplified("智慧財產權") == "知识产权"
    assert to_simplified("福州軟體園") == "福州软件园"
    assert to_simplified("鼓勵積體電路布圖設計專有權申請") == "鼓励集成电路布图设计专有权申请"
    assert to_simplified("最佳化營商環境") == "优化营商环境"
    assert to_simplified("營業秘密") == "商业秘密"
    assert to_simplified("可以求償多少") == "可以要求赔偿多少"  # Taiwan's 求償 (session 24's story sweep)


def test_converter_mistakes_are_avoided():
    # OpenCC tw2sp rewrites these; RongZhi's normalizer must not.
    assert to_simplified("建立健全") == "建立健全"
    assert to_simplified("加大行政裁決執行力度") == "加大行政裁决执行力度"
    assert to_simplified("指標") == "指标"
    assert to_simplified("整合資源") == "整合资源"


def test_simplified_text_is_unchanged():
    text = "发明专利权的期限为二十年，实用新型专利权的期限为十年"
    assert to_simplified(text) == text


def test_traditional_display_keeps_legal_terms():
    assert to_traditional("知识产权保护中心") == "知識產權保護中心"


def test_traditional_display_keeps_permit_as_taiwan_writes_it():
    # Session 36's sweep P: 「自核准注册之日起计算」 was shown as 核準 (準 is "standard"); 标准 and 准确 are still 標準, 準確.
    assert to_traditional("自核准注册之日起计算") == "自核准註冊之日起計算"
    assert to_traditional("经批准，准予登记，标准准确") == "經批准，准予登記，標準準確"
    assert to_traditional("数据不准确，不准转让") == "數據不準確，不准轉讓"


def test_a_notes_label_is_written_as_taiwan_writes_it():
    # Session 41's sweep: one Traditional answer showed 「註：」 and 「注：」 (OpenCC keeps 注); a label opens a line.
    assert to_traditional("答案\n注：英文引文是收录的英文原文") == "答案\n註：英文引文是收錄的英文原文"
    assert to_traditional("请注意：注册") == "請注意：註冊"


def test_language_detection():
    assert detect_language("專利代理師考試怎麼報名") == ZH_HANT  # langdetect alone says Korean
    assert detect_language("专利代理师考试怎么报名") == ZH_HANS
    assert detect_language("How long is an invention patent protected in China?") == EN
    assert detect_language("RCEP框架下知识产权合作") == ZH_HANS
    # The UI sweep (session 23): an address or markup in a Chinese question made the answer English.
    assert detect_language("https://www.example.com/some/very/long/path/index.html?a=1&b=2 商标有效期多久") == ZH_HANS
    assert detect_language('<img src=x onerror="document.title=1"> 商标法第三十九条') == ZH_HANS
    assert detect_language("How long is a patent protected? see https://cnipa.gov.cn") == EN
    # Session 45's chat sweep (SC2): 核准 and 才 are written so in Taiwan's standard; plain s2t writes 覈准 and 纔, which made
    # 「要多久才會核准？」 (one Traditional-only 會) read as Simplified and answered so.
    assert detect_language("要多久才會核准？") == ZH_HANT
    assert detect_language("要多久才会核准？") == ZH_HANS
    assert detect_language("剛才說的") == ZH_HANT


def test_numerals_round_trip():
    for n in range(1, 400):
        assert cn_to_int(int_to_cn(n)) == n
    assert int_to_cn(42) == "四十二"
    assert int_to_cn(105) == "一百零五"
    assert int_to_cn(110) == "一百一十"
    assert int_to_cn(10) == "十"
    assert cn_to_int("63") == 63


def test_script_is_counted_within_runs_not_across_punctuation():
    """A Traditional answer whose source line was cut at 「…侵害消費者合……」 above 「《中華人民共和國…》」 counted one Simplified-only
    character (OpenCC read the joined 合中 as 閤中), so a Traditional answer was judged mixed (session 44)."""
    text = "“第八十條 …對平台內經營者侵害消費者合……”\n[3] 《中華人民共和國電子商務法》第七十六條"
    cjk, only_trad, only_simp = count_script_chars(text)
    assert only_simp == 0 and only_trad > 0 and cjk == sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert count_script_chars("专利法规定")[2] > 0  # a Simplified text still counts as such
