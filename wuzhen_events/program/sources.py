"""The public reports the demo's source notes cite by code (S1, S2 … and B).

Vendored from the project's WIC 2018 facts file, so the sources page needs nothing outside the
package. Addresses are the ones that were read; many are copies of the original reports.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    code: str
    title: str
    title_zh: str
    publisher: str
    publisher_zh: str
    published: str  # as precise as the facts give it: 2018-11-08, 2018-12, or ""
    urls: tuple[str, ...] = ()


GITHUB_FILE = "A public GitHub file (repository not identified)"
GITHUB_FILE_ZH = "GitHub公开文件（所在仓库未能确认）"

REFERENCES = (
    Reference(
        "S1",
        "Announcement of the Fifth World Internet Conference",
        "第五届世界互联网大会发布消息",
        "ecns.cn (Xinhua)",
        "中国新闻网（新华社）",
        "2018-09-29",
        ("http://ecns.cn/news/economy/2018-09-29/detail-ifyyknzp7231704.shtml",),
    ),
    Reference(
        "S2",
        "Press conference on the Fifth World Internet Conference",
        "第五届世界互联网大会新闻发布会",
        "State Council Information Office (SCIO)",
        "国务院新闻办公室",
        "2018-09-29",
        (
            "http://english.scio.gov.cn/m/pressroom/2018-09/29/content_64349507.htm",
            "http://english.scio.gov.cn/pressroom/2018-09/29/content_64349507_2.htm",
        ),
    ),
    Reference(
        "S3",
        "Wuzhen to host 5th World Internet Conference on Nov 7",
        "乌镇将于11月7日举办第五届世界互联网大会",
        "Newsgd.com",
        "南方网",
        "2018-11-06",
        ("http://www.newsgd.com/news/2018-11/06/content_183968711.htm",),
    ),
    Reference(
        "S4",
        "2018第五届世界互联网大会: the schedule, an abridged third-party copy in Vue timeline"
        " demo data",
        "2018第五届世界互联网大会日程（Vue时间轴演示数据中的第三方节选副本）",
        GITHUB_FILE,
        GITHUB_FILE_ZH,
        "",
    ),
    Reference(
        "S5",
        "现场 | “老朋友”重聚乌镇 (copy)",
        "现场 | “老朋友”重聚乌镇（转载）",
        "The Beijing News",
        "新京报",
        "",
        ("https://fensifuwu.com/technology/2018/11/08/956004.html",),
    ),
    Reference(
        "S6",
        "Opening-day report: Huang Kunming's keynote (copy)",
        "开幕日报道：黄坤明发表主旨演讲（转载）",
        "handmsg.com",
        "handmsg.com",
        "",
        ("http://m.handmsg.com/page/2018/0220/11227969.shtml",),
    ),
    Reference(
        "S7",
        "President: Internet cooperation essential",
        "国家主席：互联网合作至关重要",
        "China Daily, via ezhejiang.gov.cn",
        "中国日报（浙江省人民政府英文网转载）",
        "2018-11-08",
        ("http://ezhejiang.gov.cn/2018-11/08/c_289730.htm",),
    ),
    Reference(
        "S8",
        "Plenary Meeting of the 5th WIC Kicks off",
        "第五届世界互联网大会全体会议开幕",
        "People's Government of Zhejiang Province",
        "浙江省人民政府",
        "2018-11-09",
        ("http://english.zj.gov.cn/art/2018/11/9/art_5798_2295461.html",),
    ),
    Reference(
        "S9",
        "乌镇论道——回顾与展望 (Wuzhen Talks – Retrospect and Prospect)",
        "乌镇论道——回顾与展望",
        "TMTPost",
        "钛媒体",
        "",
        (
            "https://tmtpost.com/3576068.html",
            "http://www.kedouhuyu.com/a/jingji/20181109/17639.html",
        ),
    ),
    Reference(
        "S10",
        "Report on the opening day (copy of Zhejiang News)",
        "开幕日报道（浙江新闻转载）",
        "news.hnr.cn",
        "news.hnr.cn",
        "2018-11-07",
        ("http://news.hnr.cn/201811/07/8193.html",),
    ),
    Reference(
        "S11",
        "Financial Secretary Paul Chan at the World Internet Conference",
        "财政司司长陈茂波出席世界互联网大会",
        "Hong Kong SAR Government news",
        "香港特别行政区政府新闻网",
        "2018-11-07",
        ("http://www.news.gov.hk/eng/2018/11/20181107/20181107_202307_358.html",),
    ),
    Reference(
        "S12",
        "Event stresses tech's role in improving lives",
        "大会强调科技在改善民生中的作用",
        "China Daily, via en.ce.cn",
        "中国日报（中国经济网转载）",
        "2018-11-12",
        ("https://en.ce.cn/Business/topnews/201811/12/t20181112_30757807.shtml",),
    ),
    Reference(
        "S13",
        "Wuzhen shows glimpse of a digital future",
        "乌镇展现数字未来图景",
        "China Daily USA and Xinhua, via PressReader",
        "中国日报美国版、新华社（PressReader转载）",
        "2018-11-13",
        ("https://www.pressreader.com/usa/china-daily-usa/20181113/281908774171188",),
    ),
    Reference(
        "S14",
        "The subforum on personal information protection (copy of a People's Daily Online report)",
        "大数据时代的个人信息保护分论坛（人民网报道转载）",
        "People's Daily Online, via the Supreme People's Procuratorate's site",
        "人民网（最高人民检察院网站转载）",
        "2018-11-08",
        ("http://fjhtcs.com/spp/gjwzb/201811/t20181108_398146.shtml",),
    ),
    Reference(
        "S15",
        "WIC sheds light on Chinese solutions…",
        "世界互联网大会展现中国方案",
        "china.org.cn",
        "中国网",
        "2018-11-11",
        ("http://www.china.org.cn/opinion/2018-11/11/content_71247361.htm",),
    ),
    Reference(
        "S16",
        "China's World Internet Conference continuing to push for cyber norms",
        "中国世界互联网大会继续推动网络空间规则",
        "Internet Governance Project",
        "互联网治理项目（Internet Governance Project）",
        "2019-01-29",
        (
            "https://www.internetgovernance.org/2019/01/29/"
            "chinas-world-internet-conference-continuing-to-push-for-cyber-norms/",
        ),
    ),
    Reference(
        "S17",
        "Report on the World Internet Conference and its Expo (copy)",
        "世界互联网大会及博览会报道（转载）",
        "China.com.cn",
        "中国网",
        "2019-03-22",
        ("http://ifenglady.com/info/20190322/10839.html",),
    ),
    Reference(
        "S18",
        "第五届世界互联网大会 (encyclopedia-style article, copy)",
        "第五届世界互联网大会（百科类文章，转载）",
        "weilinceramic.com",
        "weilinceramic.com",
        "",
        ("http://weilinceramic.com/weilinceramic/第五届世界互联网大会/22762410",),
    ),
    Reference(
        "S19",
        "The World Internet Development Report 2018 and the China Internet Development Report"
        " 2018 released (copy)",
        "《世界互联网发展报告2018》和《中国互联网发展报告2018》发布（转载）",
        "People's Daily",
        "人民日报",
        "2018-11-09",
        ("http://scitech.138479.xyz/n1/2018/1109/c1007-30390354.html",),
    ),
    Reference(
        "S20",
        "Wuzhen Outlook 2018 (full text, copy)",
        "乌镇展望2018（全文，转载）",
        "tjxz.cc",
        "tjxz.cc",
        "",
        ("https://www.tjxz.cc/23565",),
    ),
    Reference(
        "S21",
        "The Xinhua–Sogou AI news anchors",
        "新华社—搜狗AI合成主播",
        "CGTN; Wikipedia; Reuters (copy)",
        "中国国际电视台；维基百科；路透社（转载）",
        "2018-11-11",
        (
            "https://news.cgtn.com/news/3d3d514d3055444e30457a6333566d54/index.html",
            "https://en.wikipedia.org/wiki/Xinhua%E2%80%93Sogou_AI_news_anchor",
            "https://www.desitrending.com/2018/11/09/and-now-for-one-thing-fully-completely-"
            "different-chinese-language-robotic-information-readers/",
        ),
    ),
    Reference(
        "S22",
        "5G, AI and weird gadgets: what we saw at the Wuzhen summit",
        "5G、人工智能和新奇设备：我们在乌镇峰会上的见闻",
        "Momentum Works (The Low Down)",
        "Momentum Works（The Low Down）",
        "",
        (
            "https://thelowdown.momentum.asia/5g-ai-and-weird-gadgets-what-we-saw-at-the-wuzhen-summit/",
            "https://thelowdown.momentum.asia/wuzhen-summit-where-youd-find-all-sorts-of-gadgets/",
        ),
    ),
    Reference(
        "S23",
        "Report from the Light of Internet Expo",
        "“互联网之光”博览会现场报道",
        "ecns.cn (CGTN)",
        "中国新闻网（中国国际电视台）",
        "2018-11-07",
        ("http://ecns.cn/news/sci-tech/2018-11-07/detail-ifyzmsck5346954.shtml",),
    ),
    Reference(
        "S24",
        "Reports on the World Internet Leading Scientific and Technological Achievements",
        "世界互联网领先科技成果报道",
        "vijaichina (2018-11-10); China Radio International, Thai service",
        "vijaichina（2018-11-10）；中国国际广播电台泰语部",
        "2018-11-08",
        (
            "http://www.vijaichina.com/articles/1173",
            "https://thai.cri.cn/247/2018/11/08/62s273619.htm",
        ),
    ),
    Reference(
        "S25",
        "Report on the closing ceremony",
        "闭幕式报道",
        "China Radio International, Italian service",
        "中国国际广播电台意大利语部",
        "2018-11-09",
        ("https://italian.cri.cn/1781/2018/11/09/64s331072.htm",),
    ),
    Reference(
        "S26",
        "A 2018 report on the conference, republished",
        "2018年大会报道（转载）",
        "zhishun.com",
        "zhishun.com",
        "",
        ("https://zhishun.com/group-news/448.html",),
    ),
    Reference(
        "S27",
        "Li Zhengwei on the 2018 conference (copy)",
        "李政威谈2018年大会（转载）",
        "fx361.cc",
        "fx361.cc",
        "2018-12",
        ("https://fx361.cc/page/2018/1206/12646130.shtml",),
    ),
    Reference(
        "S28",
        "Adsit (盘石) website data, entry of 8 November 2018",
        "盘石网站数据，2018年11月8日条目",
        GITHUB_FILE,
        GITHUB_FILE_ZH,
        "2018-11-08",
    ),
    Reference(
        "S29",
        "Photo caption: the High-level Advisory Council meeting of 6 November, image from"
        " wicwuzhen.cn/web18",
        "图片说明：11月6日高级别咨询委员会会议，图片来自wicwuzhen.cn/web18",
        GITHUB_FILE,
        GITHUB_FILE_ZH,
        "",
    ),
    Reference(
        "S30",
        "NetEase Wuzhen café (乌镇咖荟) post",
        "网易乌镇咖荟文章",
        GITHUB_FILE,
        GITHUB_FILE_ZH,
        "",
    ),
    Reference(
        "S31",
        "China's World Internet Conference fades in 2018",
        "2018年世界互联网大会热度减退",
        "Red Sky Alliance",
        "Red Sky Alliance",
        "",
        (
            "https://redskyalliance.org/finished-analysis/china-s-world-internet-conference-fades-in-2018",
        ),
    ),
    Reference(
        "S32",
        "Q3 2018: Chinese President Xi and the 5th World Internet Conference in Wuzhen",
        "2018年第三季度：习近平主席与乌镇第五届世界互联网大会",
        "Internet Governance Radar",
        "Internet Governance Radar",
        "2018",
        (
            "https://internet-governance-radar.de/en/whats-new/translate-to-englisch-blogpost/"
            "q3-2018-chinese-president-xi-5th-internet-world-conference-wuzhen",
        ),
    ),
    Reference(
        "S33",
        "The Wuzhen Internet International Convention and Exhibition Center (2016)",
        "乌镇互联网国际会展中心（2016年）",
        "People's Daily, German edition",
        "人民网德文版",
        "2016-10-27",
        ("http://german.people.com.cn/n3/2016/1027/c209048-9133526.html",),
    ),
    Reference(
        "S34",
        "The 2016 Light of Internet Expo (context only)",
        "2016年“互联网之光”博览会（仅作背景参考）",
        "Cyberspace Administration of China",
        "国家互联网信息办公室",
        "2016-11-15",
        ("http://www.cac.gov.cn/2016-11/15/c_1119918377.htm",),
    ),
    Reference(
        "S35",
        "A 2019 report naming the Yunzhou Guest Service Center",
        "提及云舟宾客中心的2019年报道",
        "Supreme People's Court, English site",
        "最高人民法院英文网",
        "2019-12-04",
        ("https://english.court.gov.cn/2019-12/04/content_37527674.htm",),
    ),
    Reference(
        "S36",
        "Report on the conference's attendance",
        "大会参会情况报道",
        "CGTN",
        "中国国际电视台",
        "2018-11-10",
        ("https://news.cgtn.com/news/3d3d414f314d444e30457a6333566d54/index.html",),
    ),
    Reference(
        "S37",
        "Report on the conference",
        "大会报道",
        "China WTO Tribune (CSR China)",
        "《WTO经济导刊》",
        "",
        ("http://en.csr-china.net/a/knowledge/CSRNews/2019/0109/408.html",),
    ),
    Reference(
        "S39",
        "6th World Internet Conference",
        "第六届世界互联网大会",
        "86insider",
        "86insider",
        "",
        ("https://86insider.com/6th-world-internet-conference/",),
    ),
    Reference(
        "B",
        "The article of 29 September 2018 the project was founded on",
        "本项目所依据的2018年9月29日报道",
        "China Daily",
        "中国日报",
        "2018-09-29",
    ),
)

REFERENCE_CODES = frozenset(reference.code for reference in REFERENCES)
