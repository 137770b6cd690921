import type { Shape } from '../shape';
import type { Strings } from './en';

const ko: Shape<Strings> = {
  memory: {
    open: '기억 브라우저',
    title: '기억',
    pageTitle: '{{name}} · 기억',
    backToChat: '채팅으로 돌아가기',
    character: '캐릭터',
    recent: {
      heading: '최근 기억',
      hint: '{{name}}이(가) 다음 대화에서 기억하고 있을 내용입니다. 오래된 대화는 요약으로 압축됩니다.',
      summary: '이전 대화 요약',
      empty: '아직 아무것도 없습니다. 대화를 나누면 채워집니다.',
    },
    review: {
      heading: '기억 정리',
      label: '대화가 끝날 때마다 최근 기억 정리하기',
      hint: '모델이 최근 기억을 다시 읽고 오류와 반복을 없앱니다. 끄면 말한 그대로 남습니다.',
    },
    facts: {
      heading: '장기 기억 사실',
      hint: '당신과 캐릭터에 대해 오래 기억하는 정보(이름, 취향, 계획 등).',
      empty: '아직 사실이 없습니다. 사실 추출을 켜면 대화가 끝난 뒤 수집됩니다.',
      editFact: '{{subject}}에 대한 사실 "{{key}}" 편집',
      forgetFact: '{{subject}}에 대한 사실 "{{key}}" 잊기',
      valueLabel: '{{subject}}에 대한 "{{key}}"의 새 내용',
    },
    history: {
      heading: '기록',
      searchLabel: '기록 검색',
      searchPlaceholder: '찾을 단어…',
      from: '시작일',
      to: '종료일',
      search: '검색',
      clear: '지우기',
      loadMore: '이전 기록 더 보기',
      loading: '불러오는 중…',
      failed: '기록을 불러올 수 없습니다.',
      empty: '아직 기억된 대화가 없습니다.',
      noMatches: '검색과 일치하는 항목이 없습니다.',
      shown: '{{n}}개 표시 중, 최신순',
      matches: '"{{query}}" 포함 항목: {{n}}개',
      today: '오늘',
      yesterday: '어제',
      badRange: '시작일이 종료일보다 늦습니다.',
    },
    actions: {
      edit: '편집',
      forget: '잊기',
      save: '저장',
      cancel: '취소',
      editLabel: '텍스트 편집',
      editItem: '{{time}}에 {{speaker}}이(가) 보낸 메시지 편집',
      forgetItem: '{{time}}에 {{speaker}}이(가) 보낸 메시지 잊기',
    },
    confirm: {
      title: '이 메시지를 잊을까요?',
      factTitle: '이 사실을 잊을까요?',
      message: '{{name}}은(는) 더 이상 이것을 기억하지 못합니다. 되돌릴 수 없습니다.',
      forget: '잊기',
      cancel: '취소',
    },
    announce: {
      saved: '저장했습니다.',
      forgotten: '잊었습니다.',
      reviewOn: '기억 정리를 켰습니다.',
      reviewOff: '기억 정리를 껐습니다.',
    },
    errors: {
      unavailable: '지금은 기억 서비스에 연결할 수 없습니다. 다시 시도하는 중…',
      unknownCharacter: '"{{name}}"(이)라는 캐릭터가 없습니다.',
      notFound: '이 항목은 더 이상 없습니다. 다른 곳에서 잊혔을 수 있습니다.',
      failed: '문제가 발생했습니다: {{error}}',
      noCharacters: '아직 캐릭터가 없습니다. 설정에서 만들어 주세요.',
      retry: '다시 시도',
    },
  },
};

export default ko;
